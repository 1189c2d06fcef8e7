// Piezas de interfaz compartidas: tarjetas, avisos, insignias, cifras y paginación.

import { h, vaciar } from "../dom.js";
import { etiqueta, numero } from "../formato.js";

export function tarjeta(titulo, atributos = {}, ...contenido) {
  return h("section", { class: `tarjeta ${atributos.class || ""}`.trim(), id: atributos.id },
    titulo ? h("h2", { class: "tarjeta-titulo" }, titulo, atributos.extra || null) : null,
    contenido);
}

export function aviso(contenedor, mensaje, tipo = "error") {
  vaciar(contenedor, mensaje ? h("div", { class: `aviso ${tipo}`, role: tipo === "error" ? "alert" : "status" }, mensaje) : null);
}

export function insigniaCategoria(categoria) {
  if (!categoria) return h("span", { class: "insignia gris" }, "Sin clasificar");
  return h("span", { class: `insignia cat-${categoria}` }, etiqueta(categoria));
}

export function insigniaSentimiento(sentimiento) {
  if (!sentimiento) return h("span", { class: "sentimiento" }, "—");
  const iconos = { positivo: "▲", neutral: "■", negativo: "▼" };
  return h("span", { class: `sentimiento sent-${sentimiento}` },
    h("span", { "aria-hidden": "true" }, iconos[sentimiento] || ""), " ", etiqueta(sentimiento));
}

export function insigniaEstado(estado) {
  return h("span", { class: `estado est-${estado || "desconectado"}` },
    h("span", { class: "estado-punto", "aria-hidden": "true" }), etiqueta(estado || "desconectado"));
}

export function cifra(etiquetaTexto, valor, { id, detalle, nivel } = {}) {
  return h("div", { class: `cifra ${nivel ? `nivel-${nivel}` : ""}`, id, dataset: nivel ? { nivel } : {} },
    h("span", { class: "cifra-etiqueta" }, etiquetaTexto),
    h("span", { class: "cifra-valor" }, valor),
    detalle ? h("span", { class: "cifra-detalle" }, detalle) : null);
}

// Paginador con «Anterior / Siguiente» y el rango «1–20 de 135». Con listas de cursor avanza
// con el cursor del Link rel="next" y vuelve con los cursores ya vistos (sin skip profundo).
export function paginador(alCambiar, tamano = 20) {
  const estado = { skip: 0, total: 0, tamano, cursor: null, siguiente: null };
  const vistos = [];
  const texto = h("span", { class: "pagina-texto" });
  const anterior = h("button", { class: "boton pequeno", type: "button" }, "‹ Anterior");
  const siguiente = h("button", { class: "boton pequeno", type: "button" }, "Siguiente ›");
  anterior.addEventListener("click", () => {
    estado.skip = Math.max(0, estado.skip - tamano);
    estado.cursor = vistos.pop() ?? null;
    alCambiar();
  });
  siguiente.addEventListener("click", () => {
    estado.skip += tamano;
    if (estado.siguiente) {
      vistos.push(estado.cursor);
      estado.cursor = estado.siguiente;
    }
    alCambiar();
  });
  const el = h("div", { class: "paginador" }, anterior, texto, siguiente);
  return {
    el,
    estado,
    // Parámetros de la página actual: su cursor, o skip en las listas sin cursor.
    consulta() {
      return estado.cursor ? { cursor: estado.cursor } : { skip: estado.skip };
    },
    actualizar(total, filas, { exacto = true, siguiente: cursor = null } = {}) {
      estado.total = total;
      estado.siguiente = cursor;
      const de = exacto ? numero(total) : `más de ${numero(total)}`;
      texto.textContent = total
        ? `${numero(estado.skip + 1)}–${numero(estado.skip + filas)} de ${de}`
        : "Sin resultados";
      anterior.disabled = estado.skip === 0;
      siguiente.disabled = cursor === null && estado.skip + tamano >= total;
    },
    reiniciar() {
      estado.skip = 0;
      estado.cursor = null;
      vistos.length = 0;
    },
  };
}

export function opciones(valores, { vacio } = {}) {
  return [
    vacio !== undefined ? h("option", { value: "" }, vacio) : null,
    valores.map((v) => h("option", { value: v }, etiqueta(v))),
  ];
}

export const TIPOS = ["venta", "soporte", "reclamo", "consulta", "tecnico", "logistica"];
export const RESULTADOS = ["resuelta", "atendida", "escalada", "pendiente", "colgada", "fallida"];
export const CATEGORIAS = ["venta", "soporte", "reclamo"];
export const ESTADOS = ["disponible", "en_llamada", "pausa", "desconectado"];

// Marca los campos nombrados por un 422 y devuelve el mensaje para mostrar.
export function marcarCampos(formulario, error) {
  formulario.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  for (const campo of error.campos || []) {
    const el = formulario.querySelector(`[name="${CSS.escape(campo)}"]`);
    if (el) el.setAttribute("aria-invalid", "true");
  }
  return error.message;
}
