// Importar llamadas (supervisor, admin): un CSV de la centralita, leído en el navegador y
// enviado en lotes de como mucho 2000 llamadas y 31 días (cada lote entra entero o nada y
// rehace en el servidor las métricas diarias de sus días).

import { api } from "../api.js";
import { h, vaciar } from "../dom.js";
import { fijarZona, instanteEnZona, numero, zonaActual } from "../formato.js";
import { aviso, tarjeta } from "../componentes/comunes.js";

const MAXIMO_LOTE = 2000;
const DIAS_LOTE = 31;
const OBLIGATORIAS = ["agente", "numero_cliente", "fecha_hora", "duracion_segundos", "tipo", "resultado"];
const OPCIONALES = ["satisfaccion", "tiempo_espera_segundos", "direccion", "descripcion"];
const ENTERAS = new Set(["duracion_segundos", "satisfaccion", "tiempo_espera_segundos"]);
const FECHA_LOCAL = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/;

class ErrorFichero extends Error {}

// Filas de un CSV (RFC 4180: comillas dobles, comillas repetidas y saltos dentro de comillas).
export function leerCsv(texto) {
  const limpio = texto.replace(/^\ufeff/, "");
  const primera = limpio.split(/\r?\n/, 1)[0];
  const separador = (primera.match(/;/g) || []).length > (primera.match(/,/g) || []).length ? ";" : ",";
  const filas = [];
  let fila = [];
  let campo = "";
  let comillas = false;
  for (let i = 0; i < limpio.length; i += 1) {
    const c = limpio[i];
    if (comillas) {
      if (c === '"' && limpio[i + 1] === '"') { campo += '"'; i += 1; }
      else if (c === '"') comillas = false;
      else campo += c;
    } else if (c === '"') comillas = true;
    else if (c === separador) { fila.push(campo); campo = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && limpio[i + 1] === "\n") i += 1;
      fila.push(campo); filas.push(fila); fila = []; campo = "";
    } else campo += c;
  }
  if (campo !== "" || fila.length) { fila.push(campo); filas.push(fila); }
  return filas.filter((f) => f.some((v) => v.trim() !== ""));
}

function instante(texto, linea) {
  const local = texto.trim().match(FECHA_LOCAL);
  if (local) return instanteEnZona(local[1], local[2].length === 5 ? `${local[2]}:00` : local[2]);
  if (Number.isNaN(Date.parse(texto))) {
    throw new ErrorFichero(`Línea ${linea}: fecha_hora «${texto}» no es una fecha (AAAA-MM-DD HH:MM).`);
  }
  return texto.trim();
}

// Llamadas del CSV, cada una con su línea; los agentes por su correo.
function llamadasDe(filas, agentes) {
  if (filas.length < 2) throw new ErrorFichero("El fichero no tiene llamadas (la primera línea es la cabecera).");
  const cabecera = filas[0].map((c) => c.trim().toLowerCase());
  const faltan = OBLIGATORIAS.filter((c) => !cabecera.includes(c));
  if (faltan.length) throw new ErrorFichero(`Faltan columnas: ${faltan.join(", ")}.`);
  return filas.slice(1).map((valores, i) => {
    const linea = i + 2;
    const llamada = {};
    cabecera.forEach((columna, j) => {
      const valor = (valores[j] ?? "").trim();
      if (!valor || ![...OBLIGATORIAS, ...OPCIONALES].includes(columna)) return;
      llamada[columna] = ENTERAS.has(columna) && /^-?\d+$/.test(valor) ? Number(valor) : valor;
    });
    const correo = (llamada.agente || "").toLowerCase();
    if (!agentes.has(correo)) throw new ErrorFichero(`Línea ${linea}: agente «${correo}» no es un agente activo.`);
    llamada.usuario_id = agentes.get(correo);
    delete llamada.agente;
    llamada.fecha_hora = instante(llamada.fecha_hora || "", linea);
    return { linea, llamada };
  });
}

// Lotes por orden de fecha: como mucho MAXIMO_LOTE llamadas y DIAS_LOTE días cada uno.
function lotes(llamadas) {
  const ordenadas = [...llamadas].sort((a, b) => Date.parse(a.llamada.fecha_hora) - Date.parse(b.llamada.fecha_hora));
  const grupos = [];
  for (const item of ordenadas) {
    const actual = grupos[grupos.length - 1];
    const dias = actual ? (Date.parse(item.llamada.fecha_hora) - Date.parse(actual[0].llamada.fecha_hora)) / 86400000 : 0;
    if (!actual || actual.length >= MAXIMO_LOTE || dias >= DIAS_LOTE) grupos.push([item]);
    else actual.push(item);
  }
  return grupos;
}

// Correo → id de cada agente activo (todas las páginas, siguiendo el cursor).
async function agentesActivos() {
  const agentes = new Map();
  let cursor = null;
  do {
    const consulta = { rol: "agente", activo: true, limit: 500, ...(cursor ? { cursor } : {}) };
    const pagina = await api.get("/api/usuarios/", consulta);
    for (const u of pagina.datos) agentes.set(u.email.toLowerCase(), u.id);
    cursor = pagina.siguiente;
  } while (cursor);
  return agentes;
}

export function vistaImportar(contenedor) {
  const mensajes = h("div", { id: "importar-mensajes" });
  const archivo = h("input", { type: "file", id: "importar-archivo", accept: ".csv,text/csv", "aria-label": "Fichero CSV de llamadas" });
  const boton = h("button", { type: "submit", class: "boton primario", id: "importar-enviar" }, "Importar");
  const formulario = h("form", { class: "formulario-reporte", id: "form-importar", novalidate: true },
    h("label", { class: "campo doble" }, h("span", {}, "Fichero CSV (separado por ; o por ,)"), archivo),
    h("div", { class: "acciones" }, boton));
  const zona = h("span", { id: "importar-zona" }, zonaActual());
  const ayuda = h("p", { class: "ayuda" },
    `Columnas: ${OBLIGATORIAS.join(", ")} y, si se quiere, ${OPCIONALES.join(", ")}. `,
    "agente es el correo del agente; fecha_hora, «AAAA-MM-DD HH:MM» en la hora del centro (",
    zona, ") o ISO 8601 con zona. Las que traen descripción se clasifican después, en segundo plano.");
  api.get("/api/tablero/").then((tablero) => {
    fijarZona(tablero.zona_horaria);
    zona.textContent = zonaActual();
  }).catch(() => { /* sin tablero, la del navegador hasta importar */ });

  formulario.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const fichero = archivo.files[0];
    if (!fichero) { aviso(mensajes, "Elige un fichero CSV."); return; }
    aviso(mensajes, "Importando…", "info");
    boton.disabled = true;
    let importadas = 0;
    try {
      fijarZona((await api.get("/api/tablero/")).zona_horaria);
      const llamadas = llamadasDe(leerCsv(await fichero.text()), await agentesActivos());
      for (const lote of lotes(llamadas)) {
        try {
          await api.post("/api/llamadas/importar", { llamadas: lote.map((x) => x.llamada) });
        } catch (error) {
          // «llamadas.3.campo» es la posición en el lote: se cuenta como línea del fichero.
          const texto = String(error.message).replace(/llamadas\.(\d+)\./g, (_, i) => `línea ${lote[Number(i)].linea}, `);
          const previas = importadas ? ` Ya se importaron ${numero(importadas)} en lotes anteriores.` : "";
          throw new ErrorFichero(`${texto}${previas}`);
        }
        importadas += lote.length;
      }
      aviso(mensajes, `Importadas ${numero(importadas)} llamadas.`, "ok");
      formulario.reset();
    } catch (error) {
      aviso(mensajes, error.message);
    } finally {
      boton.disabled = false;
    }
  });

  vaciar(contenedor, h("div", { class: "pagina-estrecha" },
    tarjeta("Importar llamadas de un fichero CSV", { id: "tarjeta-importar" }, ayuda, formulario, mensajes)));
  return { destruir() {} };
}
