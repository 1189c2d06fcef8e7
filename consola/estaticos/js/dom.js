// Construcción del DOM sin innerHTML: todo texto entra como textContent (sin riesgo de XSS).

export function h(etiqueta, atributos = {}, ...hijos) {
  const el = document.createElement(etiqueta);
  for (const [clave, valor] of Object.entries(atributos || {})) {
    if (valor === null || valor === undefined || valor === false) continue;
    if (clave === "class") el.className = valor;
    else if (clave === "dataset") Object.assign(el.dataset, valor);
    else if (clave.startsWith("on") && typeof valor === "function") {
      el.addEventListener(clave.slice(2), valor);
    } else if (clave in el && typeof valor !== "string") el[clave] = valor;
    else el.setAttribute(clave, valor === true ? "" : valor);
  }
  agregar(el, hijos);
  return el;
}

function agregar(el, hijos) {
  for (const hijo of hijos.flat(Infinity)) {
    if (hijo === null || hijo === undefined || hijo === false) continue;
    el.append(hijo instanceof Node ? hijo : document.createTextNode(String(hijo)));
  }
}

export function vaciar(el, ...hijos) {
  el.replaceChildren();
  agregar(el, hijos);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

export function s(etiqueta, atributos = {}, ...hijos) {
  const el = document.createElementNS(SVG, etiqueta);
  for (const [clave, valor] of Object.entries(atributos)) {
    if (valor !== null && valor !== undefined) el.setAttribute(clave, valor);
  }
  agregar(el, hijos);
  return el;
}

export function debounce(fn, ms) {
  let temporizador = null;
  return (...args) => {
    clearTimeout(temporizador);
    temporizador = setTimeout(() => fn(...args), ms);
  };
}
