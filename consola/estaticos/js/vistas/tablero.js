// Tablero del supervisor: KPIs de hoy, mezcla de categorías, alerta de reclamos, agentes con su
// estado en vivo, últimas llamadas y llamadas por hora. Se actualiza con el flujo de eventos.

import { api } from "../api.js";
import { h, vaciar } from "../dom.js";
import { eventos } from "../eventos.js";
import { duracion, etiqueta, fijarZona, hora, numero, porcentaje } from "../formato.js";
import { graficoPorHora, medidor, mezclaCategorias } from "../graficos.js";
import { aviso, insigniaCategoria, insigniaEstado, insigniaSentimiento } from "../componentes/comunes.js";
import { nivel, textoUmbral } from "../componentes/umbrales.js";

const INTERVALO_MINIMO_MS = 1000;
const MAXIMO_ULTIMAS = 12;
const CONFIANZA_REVISAR = 0.6;

function horaEnZona(iso, zona) {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone: zona, hour: "2-digit", hourCycle: "h23" })
    .format(new Date(iso)));
}

function tile(id, titulo, valor, nivelKpi, detalle) {
  return h("div", { class: `kpi nivel-${nivelKpi}`, id: `kpi-${id}`, dataset: { nivel: nivelKpi } },
    h("span", { class: "kpi-titulo" }, titulo),
    h("span", { class: "kpi-valor" }, valor),
    h("span", { class: "kpi-detalle" }, detalle || "\u00a0"));
}

function tilesKpi(hoy, umbrales) {
  const n = (kpi) => nivel(kpi, hoy[kpi], umbrales);
  const segundos = hoy.nivel_servicio_segundos ?? umbrales.nivel_servicio_segundos ?? 20;
  const objetivo = umbrales.nivel_servicio_objetivo;
  return [
    tile("llamadas", "Llamadas hoy", numero(hoy.total_llamadas), "neutro", "atendidas y registradas"),
    tile("aht", "AHT", duracion(hoy.aht_segundos), n("aht_segundos"),
      textoUmbral("aht_segundos", umbrales, duracion) || "tiempo medio de gestión"),
    tile("csat", "CSAT", numero(hoy.csat_promedio, 1), n("csat_promedio"),
      textoUmbral("csat_promedio", umbrales, (v) => numero(v, 1)) || "media de 1 a 5"),
    tile("fcr", "FCR", porcentaje(hoy.fcr), n("fcr"), "resueltas al primer contacto"),
    tile("nivel-servicio", "Nivel de servicio", porcentaje(hoy.nivel_servicio), n("nivel_servicio"),
      `en ${numero(segundos)} s${objetivo !== undefined ? ` · objetivo ${porcentaje(objetivo)}` : ""}`),
    tile("abandono", "Abandono", porcentaje(hoy.abandono, 1), n("abandono"),
      textoUmbral("abandono", umbrales, (v) => porcentaje(v, 1)) || "colgadas y fallidas"),
    tile("escalamiento", "Escalamiento", porcentaje(hoy.escalamiento, 1), n("escalamiento"),
      textoUmbral("escalamiento", umbrales, (v) => porcentaje(v, 1)) || "escaladas"),
    tile("espera", "Espera media", duracion(hoy.espera_promedio_segundos),
      n("espera_promedio_segundos"), textoUmbral("espera_promedio_segundos", umbrales, duracion) || "en cola"),
  ];
}

function filaAgente(a, desfaseMs) {
  const tiempo = h("span", { class: "tiempo-estado", dataset: { desde: a.desde || "" } });
  actualizarTiempo(tiempo, desfaseMs);
  return h("tr", { dataset: { usuario: a.usuario_id }, id: `agente-${a.usuario_id}` },
    h("td", { class: "agente-nombre" }, a.nombre),
    h("td", { class: "agente-estado" }, insigniaEstado(a.estado), a.motivo ? h("small", { class: "motivo" }, a.motivo) : null),
    h("td", { class: "num" }, tiempo),
    h("td", { class: "num agente-llamadas" }, numero(a.llamadas_hoy)),
    h("td", { class: "num" }, duracion(a.aht_segundos)),
    h("td", { class: "num" }, numero(a.csat_promedio, 1)));
}

function actualizarTiempo(el, desfaseMs) {
  const desde = el.dataset.desde;
  el.textContent = desde ? duracion((Date.now() + desfaseMs - new Date(desde).getTime()) / 1000) : "—";
}

function filaLlamada(ll, umbralRevisar) {
  const revisar = ll.revisar ?? (ll.confianza !== null && ll.confianza !== undefined && ll.confianza < umbralRevisar);
  return h("li", { class: `ultima ${revisar ? "revisar" : ""}`, dataset: { id: ll.id }, id: `ultima-${ll.id}` },
    h("span", { class: "ultima-hora" }, hora(ll.fecha_hora)),
    h("span", { class: "ultima-agente" }, ll.agente || "—"),
    h("span", { class: "ultima-tipo" }, `${etiqueta(ll.tipo)} · ${etiqueta(ll.resultado)}`),
    h("span", { class: "ultima-cat" }, insigniaCategoria(ll.categoria)),
    h("span", { class: "ultima-conf num" }, ll.confianza === null || ll.confianza === undefined ? "" : porcentaje(ll.confianza)),
    h("span", { class: "ultima-sent" }, ll.sentimiento ? insigniaSentimiento(ll.sentimiento) : ""),
    revisar ? h("span", { class: "bandera-revisar", title: "Confianza baja: revisar" }, "Revisar") : h("span"));
}

export function vistaTablero(contenedor) {
  let datos = null;
  let desfaseMs = 0;
  let ultimaCarga = 0;
  let enCurso = false;
  let pendiente = null;
  const mensajes = h("div");
  const alerta = h("div", { id: "alerta-reclamos", class: "alerta-reclamos", role: "alert", hidden: true });
  const kpis = h("div", { class: "kpis", id: "kpis" });
  const grafico = h("div", { class: "grafico-contenedor" });
  const mezcla = h("div");
  const negativo = h("div", { class: "negativo", id: "sentimiento-negativo" });
  const agentes = h("tbody", { id: "agentes" });
  const ultimas = h("ol", { class: "ultimas", id: "ultimas-llamadas" });
  const actualizado = h("span", { class: "actualizado", id: "actualizado" });
  const panel = (titulo, id, ...contenido) => h("section", { class: "panel", id }, h("h2", {}, titulo), contenido);

  vaciar(contenedor, h("div", { class: "tablero" },
    h("div", { class: "tablero-cabecera" }, h("h1", {}, "Operación de hoy"), actualizado),
    mensajes, alerta, kpis,
    h("div", { class: "fila-media" },
      panel("Llamadas por hora", "panel-horas",
        h("div", { class: "leyenda-grafico" }, h("span", { class: "l-hoy" }, "Hoy"),
          h("span", { class: "l-pasada" }, "Mismo día, semana pasada")), grafico),
      panel("Categorías (IA)", "panel-mezcla", mezcla, negativo)),
    h("div", { class: "fila-baja" },
      panel("Agentes", "panel-agentes", h("table", { class: "tabla-agentes" },
        h("thead", {}, h("tr", {}, ["Agente", "Estado", "En estado", "Llamadas", "AHT", "CSAT"]
          .map((t, i) => h("th", { class: i > 1 ? "num" : "" }, t)))), agentes)),
      panel("Últimas llamadas", "panel-ultimas", ultimas))));

  function pintar() {
    const hoy = datos.hoy || {};
    const umbrales = datos.umbrales || {};
    vaciar(kpis, tilesKpi(hoy, umbrales));
    const ar = datos.alerta_reclamos || {};
    alerta.hidden = !ar.activa;
    vaciar(alerta, ar.activa ? [h("strong", {}, "Pico de reclamos"),
      ` ${numero(ar.ultima_hora)} en la última hora frente a una media de ${numero(ar.promedio_hora, 1)} por hora (umbral ${numero(ar.umbral, 1)}).`] : null);
    vaciar(grafico, graficoPorHora(datos.por_hora || [], horaEnZona(datos.generado_en || new Date(), datos.zona_horaria)));
    vaciar(mezcla, mezclaCategorias(datos.categorias || {}));
    const nivelNeg = nivel("sentimiento_negativo", datos.sentimiento_negativo, umbrales);
    vaciar(negativo, medidor(datos.sentimiento_negativo, nivelNeg),
      h("div", { class: `negativo-valor nivel-${nivelNeg}` }, porcentaje(datos.sentimiento_negativo)),
      h("div", { class: "negativo-texto" }, "sentimiento negativo"));
    vaciar(agentes, (datos.agentes || []).map((a) => filaAgente(a, desfaseMs)));
    if (!(datos.agentes || []).length) agentes.append(h("tr", {}, h("td", { colspan: 6, class: "vacio" }, "No hay agentes activos.")));
    pintarUltimas();
    actualizado.textContent = `Actualizado ${hora(datos.generado_en || new Date(), true)}`;
  }

  function pintarUltimas() {
    const umbral = datos.umbrales?.confianza_revisar ?? CONFIANZA_REVISAR;
    const filas = (datos.ultimas_llamadas || []).slice(0, MAXIMO_ULTIMAS);
    vaciar(ultimas, filas.length ? filas.map((ll) => filaLlamada(ll, umbral))
      : h("li", { class: "vacio" }, "Aún no hay llamadas hoy."));
  }

  async function cargar() {
    if (enCurso) {
      pendiente = pendiente || setTimeout(() => { pendiente = null; cargar(); }, INTERVALO_MINIMO_MS);
      return;
    }
    const espera = ultimaCarga + INTERVALO_MINIMO_MS - Date.now();
    if (espera > 0) {
      pendiente = pendiente || setTimeout(() => { pendiente = null; cargar(); }, espera);
      return;
    }
    enCurso = true;
    ultimaCarga = Date.now();
    try {
      const nuevos = await api.get("/api/tablero/");
      fijarZona(nuevos.zona_horaria);
      if (nuevos.generado_en) desfaseMs = new Date(nuevos.generado_en).getTime() - Date.now();
      datos = nuevos;
      aviso(mensajes, "");
      pintar();
    } catch (error) {
      aviso(mensajes, error.message);
    } finally {
      enCurso = false;
    }
  }

  function nombreAgente(usuarioId) {
    return (datos?.agentes || []).find((a) => a.usuario_id === usuarioId)?.nombre;
  }

  // Una llamada nueva se pinta al momento; las cifras llegan con el siguiente aviso `kpis`.
  function llamadaNueva(ll) {
    if (!datos) return;
    const lista = (datos.ultimas_llamadas || []).filter((x) => x.id !== ll.id);
    const c = ll.clasificacion;
    lista.unshift({
      id: ll.id, usuario_id: ll.usuario_id, agente: nombreAgente(ll.usuario_id),
      numero_cliente: ll.numero_cliente, tipo: ll.tipo, resultado: ll.resultado,
      fecha_hora: ll.fecha_hora, categoria: c?.categoria ?? null, confianza: c?.confianza ?? null,
      sentimiento: c?.sentimiento ?? null,
    });
    datos.ultimas_llamadas = lista;
    pintarUltimas();
    cargar();
  }

  function llamadaClasificada(d) {
    if (!datos) return;
    const fila = (datos.ultimas_llamadas || []).find((x) => x.id === d.llamada_id);
    if (!fila) return;
    Object.assign(fila, {
      categoria: d.clasificacion.categoria, confianza: d.clasificacion.confianza,
      sentimiento: d.clasificacion.sentimiento, revisar: undefined,
    });
    pintarUltimas();
  }

  function estadoAgente(d) {
    if (!datos) return;
    const agente = (datos.agentes || []).find((a) => a.usuario_id === d.usuario_id);
    if (!agente) {
      cargar();
      return;
    }
    Object.assign(agente, { estado: d.estado, motivo: d.motivo, desde: d.desde });
    const fila = document.getElementById(`agente-${d.usuario_id}`);
    if (fila) fila.replaceWith(filaAgente(agente, desfaseMs));
  }

  const reloj = setInterval(() => {
    agentes.querySelectorAll(".tiempo-estado").forEach((el) => actualizarTiempo(el, desfaseMs));
  }, 1000);
  const bajas = [
    eventos.suscribir("kpis", () => cargar()),
    eventos.suscribir("llamada_creada", llamadaNueva),
    eventos.suscribir("llamada_actualizada", () => cargar()),
    eventos.suscribir("llamada_eliminada", () => cargar()),
    eventos.suscribir("llamada_clasificada", llamadaClasificada),
    eventos.suscribir("estado_agente", estadoAgente),
    eventos.suscribir("reconectado", () => cargar()),
  ];
  cargar();
  return {
    destruir() {
      clearInterval(reloj);
      clearTimeout(pendiente);
      bajas.forEach((baja) => baja());
    },
  };
}
