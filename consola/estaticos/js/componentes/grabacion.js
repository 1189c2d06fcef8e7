// Grabación de una llamada: subirla, escucharla (blob pedido con Authorization) y leer su
// transcripción por turnos con la analítica de voz.

import { api, peticion, subirArchivo } from "../api.js";
import { h, vaciar } from "../dom.js";
import { duracion, etiqueta, numero } from "../formato.js";
import { aviso, tarjeta } from "./comunes.js";

const HABLANTES = { agente: "Agente", cliente: "Cliente", desconocido: "Hablante" };
const ESTADOS = {
  pendiente: "Transcripción en cola…",
  procesando: "Transcribiendo…",
  fallida: "La transcripción falló",
};
const ESPERA_MS = 2000;
const porcentaje = (x) => `${numero(Math.round((x || 0) * 1000) / 10)} %`;
const segundos = (x) => `${numero(Math.round((x || 0) * 10) / 10)} s`;

function turnos(segmentos) {
  return h("ol", { class: "turnos" }, segmentos.map((s) => h("li", { class: `turno ${s.hablante}` },
    h("span", { class: "turno-quien" }, HABLANTES[s.hablante] || s.hablante),
    h("span", { class: "turno-cuando" }, duracion(Math.floor(s.inicio))),
    h("p", {}, s.texto))));
}

function resumenVoz(t) {
  const a = t.analitica;
  const filas = Object.entries(a.hablantes).map(([quien, v]) => h("li", {},
    `${HABLANTES[quien]}: ${porcentaje(v.cuota_habla)} del tiempo, ${numero(v.palabras_por_minuto)} palabras/min`
    + (t.sentimiento_por_hablante[quien] ? `, ${etiqueta(t.sentimiento_por_hablante[quien])}` : "")));
  return h("ul", { class: "resumen-voz" }, filas,
    h("li", {}, `Silencio: ${porcentaje(a.cuota_silencio)} (el más largo, ${segundos(a.silencio_mas_largo?.segundos)})`),
    h("li", {}, `Solape: ${segundos(a.solape)} · interrupciones: ${numero(a.interrupciones)}`),
    t.aviso ? h("li", { class: "aviso-mono" }, t.aviso) : null);
}

async function reproductor(llamadaId) {
  const respuesta = await peticion("GET", `/api/llamadas/${llamadaId}/grabacion`, { crudo: true });
  const url = URL.createObjectURL(await respuesta.blob());
  return h("audio", { controls: true, src: url, preload: "metadata", id: "reproductor" });
}

export function detalleGrabacion() {
  const cuerpo = h("div", { id: "detalle-grabacion" },
    h("p", { class: "vacio" }, "Elige una llamada del historial para ver su grabación."));
  const titulo = h("span", { class: "contador" });
  let actual = null;
  let espera = null;

  function formulario(llamadaId) {
    const archivo = h("input", { type: "file", name: "archivo", accept: "audio/*" });
    const mensajes = h("div");
    const form = h("form", { class: "subida", id: "subir-grabacion" }, archivo,
      h("button", { type: "submit" }, "Subir grabación"), mensajes);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!archivo.files.length) return;
      try {
        await subirArchivo(`/api/llamadas/${llamadaId}/grabacion`, "archivo", archivo.files[0]);
        mostrar(llamadaId);
      } catch (error) {
        aviso(mensajes, error.message);
      }
    });
    return form;
  }

  async function mostrar(llamadaId) {
    clearTimeout(espera);
    actual = llamadaId;
    titulo.textContent = `Llamada #${llamadaId}`;
    let t;
    try {
      t = await api.get(`/api/llamadas/${llamadaId}/transcripcion`);
    } catch (error) {
      if (actual !== llamadaId) return;
      vaciar(cuerpo, error.estado === 404
        ? [h("p", { class: "vacio" }, "Esta llamada no tiene grabación."), formulario(llamadaId)]
        : h("p", { class: "vacio" }, error.message));
      return;
    }
    const audio = await reproductor(llamadaId).catch(() => h("p", { class: "vacio" }, "Audio ya no disponible (retención)."));
    if (actual !== llamadaId) return;
    if (t.estado !== "lista") {
      vaciar(cuerpo, audio, h("p", { class: "estado-transcripcion" }, ESTADOS[t.estado]),
        t.estado === "fallida" && t.error ? h("p", { class: "vacio" }, t.error) : null);
      if (t.estado !== "fallida") espera = setTimeout(() => mostrar(llamadaId), ESPERA_MS);
      return;
    }
    vaciar(cuerpo, audio, resumenVoz(t), turnos(t.segmentos));
  }

  return {
    el: tarjeta("Grabación y transcripción", { id: "tarjeta-grabacion", extra: titulo }, cuerpo),
    mostrar,
  };
}
