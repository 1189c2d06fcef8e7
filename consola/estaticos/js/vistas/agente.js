// Pantalla del agente: registrar una llamada, ver su clasificación de IA en vivo, su estado,
// sus cifras de hoy, el historial del cliente y el suyo propio.

import { api } from "../api.js";
import { debounce, h, vaciar } from "../dom.js";
import { eventos } from "../eventos.js";
import { duracion, etiqueta, fijarZona, numero, porcentaje } from "../formato.js";
import {
  aviso, cifra, insigniaCategoria, insigniaSentimiento, marcarCampos, opciones, RESULTADOS,
  tarjeta, TIPOS,
} from "../componentes/comunes.js";
import { selectorEstado } from "../componentes/estado.js";
import { detalleGrabacion } from "../componentes/grabacion.js";
import { historialCliente, historialPropio } from "../componentes/historial.js";

// "3:25" o "205" -> 205 segundos; null si no se entiende.
export function leerDuracion(texto) {
  const limpio = texto.trim();
  if (/^\d+$/.test(limpio)) return Number(limpio);
  const partes = /^(\d+):([0-5]\d)$/.exec(limpio);
  return partes ? Number(partes[1]) * 60 + Number(partes[2]) : null;
}

function formularioLlamada(alGuardar, alTeclearNumero) {
  const campo = (texto, control, clase = "") => h("label", { class: `campo ${clase}` }, h("span", {}, texto), control);
  const numeroCliente = h("input", {
    name: "numero_cliente", id: "llamada-numero", required: true, maxlength: "30",
    autocomplete: "off", placeholder: "+34 600 111 222",
  });
  const tipo = h("select", { name: "tipo", id: "llamada-tipo" }, opciones(TIPOS));
  const resultado = h("select", { name: "resultado", id: "llamada-resultado" }, opciones(RESULTADOS));
  const duracionCampo = h("input", {
    name: "duracion_segundos", id: "llamada-duracion", required: true, placeholder: "mm:ss",
    inputmode: "numeric",
  });
  const csat = h("select", { name: "satisfaccion", id: "llamada-csat" },
    h("option", { value: "" }, "Sin valorar"), [5, 4, 3, 2, 1].map((n) => h("option", { value: n }, `${n} ★`)));
  const espera = h("input", {
    name: "tiempo_espera_segundos", id: "llamada-espera", type: "number", min: "0", max: "86400",
    placeholder: "segundos",
  });
  const notas = h("textarea", {
    name: "descripcion", id: "llamada-notas", rows: "4", maxlength: "20000",
    placeholder: "Qué pidió el cliente y qué se hizo. La IA clasifica la llamada a partir de estas notas.",
  });
  const mensajes = h("div", { id: "llamada-mensajes" });
  const boton = h("button", { type: "submit", class: "boton primario", id: "llamada-guardar" }, "Registrar llamada");
  const formulario = h("form", { class: "formulario-llamada", id: "form-llamada", novalidate: true },
    campo("Número del cliente", numeroCliente, "doble"),
    campo("Tipo", tipo), campo("Resultado", resultado),
    campo("Duración", duracionCampo), campo("Espera (s)", espera), campo("CSAT", csat),
    campo("Notas de la llamada", notas, "completo"),
    h("div", { class: "acciones completo" }, mensajes, boton));
  numeroCliente.addEventListener("input", debounce(() => alTeclearNumero(numeroCliente.value), 300));
  formulario.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const segundos = leerDuracion(duracionCampo.value);
    if (!numeroCliente.value.trim()) {
      aviso(mensajes, "numero_cliente: escribe el número del cliente.");
      numeroCliente.setAttribute("aria-invalid", "true");
      return;
    }
    if (segundos === null) {
      aviso(mensajes, "duracion_segundos: escribe la duración como mm:ss o en segundos.");
      duracionCampo.setAttribute("aria-invalid", "true");
      return;
    }
    const cuerpo = {
      numero_cliente: numeroCliente.value.trim(), tipo: tipo.value, resultado: resultado.value,
      duracion_segundos: segundos,
      satisfaccion: csat.value ? Number(csat.value) : null,
      tiempo_espera_segundos: espera.value === "" ? null : Number(espera.value),
      descripcion: notas.value.trim() || null,
    };
    boton.disabled = true;
    aviso(mensajes, "");
    try {
      const llamada = await api.post("/api/llamadas/", cuerpo);
      marcarCampos(formulario, {});
      formulario.reset();
      aviso(mensajes, `Llamada #${llamada.id} registrada.`, "ok");
      alGuardar(llamada);
    } catch (error) {
      aviso(mensajes, marcarCampos(formulario, error));
    } finally {
      boton.disabled = false;
    }
  });
  return tarjeta("Registrar llamada", { id: "tarjeta-llamada" }, formulario);
}

function tarjetaIA() {
  const cuerpo = h("div", { id: "ia", class: "ia", "aria-live": "polite" },
    h("p", { class: "vacio" }, "Registra una llamada con notas y aquí aparecerán su categoría, el sentimiento y el consejo."));
  const clasificaciones = new Map();
  let actual = null;

  function pintar() {
    if (!actual) return;
    const c = clasificaciones.get(actual.id);
    if (!c) {
      vaciar(cuerpo, h("div", { class: "ia-cabecera" }, h("strong", {}, `Llamada #${actual.id}`)),
        actual.descripcion
          ? h("p", { class: "ia-esperando", id: "ia-esperando" }, h("span", { class: "girando" }), "Clasificando la llamada…")
          : h("p", { class: "vacio" }, "Sin notas: la llamada no se clasifica."));
      return;
    }
    vaciar(cuerpo,
      h("div", { class: "ia-cabecera" }, h("strong", {}, `Llamada #${actual.id}`),
        h("span", { class: "ia-motor" }, `Motor ${etiqueta(c.motor)}`)),
      h("div", { class: "ia-datos", id: "ia-resultado", dataset: { llamada: actual.id } },
        h("div", {}, h("span", { class: "ia-etiqueta" }, "Categoría"), h("span", { id: "ia-categoria" }, insigniaCategoria(c.categoria))),
        h("div", {}, h("span", { class: "ia-etiqueta" }, "Confianza"),
          h("span", { class: "ia-valor", id: "ia-confianza" }, porcentaje(c.confianza)),
          h("span", { class: "barra-confianza" }, h("span", { style: `width:${Math.round(c.confianza * 100)}%` }))),
        h("div", {}, h("span", { class: "ia-etiqueta" }, "Sentimiento"), h("span", { id: "ia-sentimiento" }, insigniaSentimiento(c.sentimiento)))),
      h("div", { class: "ia-consejo" }, h("span", { class: "ia-etiqueta" }, "Consejo para el siguiente paso"),
        h("p", { id: "ia-consejo" }, c.recomendacion_agente)),
      c.resumen ? h("p", { class: "ia-resumen" }, c.resumen) : null);
  }

  return {
    el: tarjeta("Clasificación con IA", { id: "tarjeta-ia" }, cuerpo),
    mostrar(llamada) {
      actual = llamada;
      if (llamada.clasificacion) clasificaciones.set(llamada.id, llamada.clasificacion);
      pintar();
    },
    recibir(llamadaId, clasificacion) {
      clasificaciones.set(llamadaId, clasificacion);
      if (actual?.id === llamadaId) pintar();
    },
    async ponerAlDia() {
      if (!actual || clasificaciones.has(actual.id) || !actual.descripcion) return;
      const detalle = await api.get(`/api/llamadas/${actual.id}`);
      if (detalle.clasificacion) this.recibir(actual.id, detalle.clasificacion);
    },
  };
}

function cifrasHoy() {
  const cuerpo = h("div", { class: "cifras-agente", id: "cifras-agente" });
  const mensajes = h("div");
  async function cargar() {
    try {
      const datos = await api.get("/api/tablero/agente");
      fijarZona(datos.zona_horaria);
      const hoy = datos.hoy || {};
      const cat = datos.categorias || {};
      vaciar(cuerpo,
        cifra("Llamadas", numero(hoy.total_llamadas), { id: "mi-total" }),
        cifra("AHT", duracion(hoy.aht_segundos)),
        cifra("CSAT", numero(hoy.csat_promedio, 1)),
        hoy.fcr !== undefined ? cifra("FCR", porcentaje(hoy.fcr)) : null,
        h("div", { class: "mini-mezcla" }, ["venta", "soporte", "reclamo"].map((c) =>
          h("span", { class: `mini cat-${c}` }, `${etiqueta(c)} ${numero(cat[c] || 0)}`))));
      aviso(mensajes, "");
    } catch (error) {
      aviso(mensajes, error.message);
    }
  }
  cargar();
  return { el: tarjeta("Mis cifras de hoy", { id: "tarjeta-cifras" }, mensajes, cuerpo), cargar };
}

export function vistaAgente(contenedor, usuario) {
  const estado = selectorEstado();
  const ia = tarjetaIA();
  const cifras = cifrasHoy();
  const cliente = historialCliente();
  const grabacion = detalleGrabacion();
  const historial = historialPropio((llamadaId) => grabacion.mostrar(llamadaId));
  const recargarHistorial = debounce(() => historial.recargar(), 250);
  const recargarCifras = debounce(() => cifras.cargar(), 400);
  const formulario = formularioLlamada((llamada) => {
    ia.mostrar(llamada);
    cliente.buscar(llamada.numero_cliente);
    recargarHistorial();
    recargarCifras();
  }, (numeroCliente) => cliente.buscar(numeroCliente));

  vaciar(contenedor, h("div", { class: "rejilla-agente" },
    h("div", { class: "columna" }, formulario, ia.el),
    h("div", { class: "columna" }, estado.el, cifras.el, cliente.el),
    h("div", { class: "completo" }, historial.el),
    h("div", { class: "completo" }, grabacion.el)));

  const propio = (datos) => datos.usuario_id === usuario.id;
  const bajas = [
    eventos.suscribir("llamada_clasificada", (d) => {
      if (!propio(d)) return;
      ia.recibir(d.llamada_id, d.clasificacion);
      recargarHistorial();
    }),
    eventos.suscribir("llamada_creada", (d) => propio(d) && recargarHistorial()),
    eventos.suscribir("llamada_actualizada", (d) => propio(d) && recargarHistorial()),
    eventos.suscribir("llamada_eliminada", (d) => propio(d) && recargarHistorial()),
    eventos.suscribir("kpis", () => recargarCifras()),
    eventos.suscribir("estado_agente", (d) => propio(d) && estado.recibir(d)),
    eventos.suscribir("reconectado", () => {
      ia.ponerAlDia().catch(() => {});
      recargarHistorial();
      recargarCifras();
    }),
  ];
  return {
    destruir() {
      bajas.forEach((baja) => baja());
      estado.destruir();
    },
  };
}
