// Flujo de eventos del servidor (SSE) leído con fetch + ReadableStream, porque EventSource no
// puede enviar la cabecera Authorization. Reconecta solo y reanuda con Last-Event-ID.

import { sesion } from "./api.js";

const RUTA = "/api/eventos";
const ESPERA_MAXIMA_MS = 15000;

// Analizador del formato text/event-stream: recibe trozos de texto y entrega eventos completos.
export class AnalizadorSSE {
  constructor(alEvento, alReintento = () => {}) {
    this.alEvento = alEvento;
    this.alReintento = alReintento;
    this.resto = "";
    this.reiniciarEvento();
  }

  reiniciarEvento() {
    this.tipo = "";
    this.datos = [];
    this.id = null;
  }

  empujar(texto) {
    this.resto += texto;
    const lineas = this.resto.split(/\r\n|\r|\n/);
    this.resto = lineas.pop();
    for (const linea of lineas) this.linea(linea);
  }

  linea(linea) {
    if (linea === "") {
      if (this.datos.length) {
        this.alEvento({ tipo: this.tipo || "message", datos: this.datos.join("\n"), id: this.id });
      } else if (this.id !== null) {
        this.alEvento({ tipo: null, datos: null, id: this.id });
      }
      this.reiniciarEvento();
      return;
    }
    if (linea.startsWith(":")) return;
    const dosPuntos = linea.indexOf(":");
    const campo = dosPuntos === -1 ? linea : linea.slice(0, dosPuntos);
    let valor = dosPuntos === -1 ? "" : linea.slice(dosPuntos + 1);
    if (valor.startsWith(" ")) valor = valor.slice(1);
    if (campo === "event") this.tipo = valor;
    else if (campo === "data") this.datos.push(valor);
    else if (campo === "id" && !valor.includes("\0")) this.id = valor;
    else if (campo === "retry" && /^\d+$/.test(valor)) this.alReintento(Number(valor));
  }
}

class FlujoEventos {
  constructor() {
    this.oyentes = new Map();
    this.oyentesEstado = new Set();
    this.ultimoId = null;
    this.esperaMs = 2000;
    this.intentos = 0;
    this.control = null;
    this.activo = false;
    this.estado = "desconectado";
  }

  suscribir(tipo, fn) {
    if (!this.oyentes.has(tipo)) this.oyentes.set(tipo, new Set());
    this.oyentes.get(tipo).add(fn);
    return () => this.oyentes.get(tipo)?.delete(fn);
  }

  alCambiarEstado(fn) {
    this.oyentesEstado.add(fn);
    fn(this.estado);
    return () => this.oyentesEstado.delete(fn);
  }

  ponerEstado(estado) {
    if (estado === this.estado) return;
    this.estado = estado;
    for (const fn of this.oyentesEstado) fn(estado);
  }

  emitir(tipo, datos) {
    for (const clave of [tipo, "*"]) {
      for (const fn of this.oyentes.get(clave) || []) {
        try {
          fn(datos, tipo);
        } catch (error) {
          console.warn("Oyente de eventos falló", error);
        }
      }
    }
  }

  iniciar() {
    if (this.activo) return;
    this.activo = true;
    this.conectar();
  }

  detener() {
    this.activo = false;
    this.control?.abort();
    clearTimeout(this.temporizador);
    this.ultimoId = null;
    this.ponerEstado("desconectado");
  }

  async conectar() {
    if (!this.activo || !sesion.token) return;
    this.control = new AbortController();
    const cabeceras = { Accept: "text/event-stream", Authorization: `Bearer ${sesion.token}` };
    if (this.ultimoId !== null) cabeceras["Last-Event-ID"] = this.ultimoId;
    this.ponerEstado(this.intentos ? "reconectando" : "conectando");
    try {
      const respuesta = await fetch(RUTA, {
        headers: cabeceras, cache: "no-store", signal: this.control.signal,
      });
      if (respuesta.status === 401) {
        this.activo = false;
        this.ponerEstado("desconectado");
        this.emitir("sesion_caducada", {});
        return;
      }
      if (!respuesta.ok || !respuesta.body) throw new Error(`HTTP ${respuesta.status}`);
      const reconexion = this.intentos > 0;
      this.intentos = 0;
      this.ponerEstado("en_vivo");
      if (reconexion) this.emitir("reconectado", {});
      await this.leer(respuesta.body);
    } catch (error) {
      if (error.name === "AbortError" || !this.activo) return;
    }
    if (!this.activo) return;
    this.intentos += 1;
    this.ponerEstado("reconectando");
    const espera = Math.min(ESPERA_MAXIMA_MS, this.esperaMs * 2 ** Math.min(this.intentos - 1, 3));
    this.temporizador = setTimeout(() => this.conectar(), espera);
  }

  async leer(cuerpo) {
    const lector = cuerpo.pipeThrough(new TextDecoderStream()).getReader();
    const analizador = new AnalizadorSSE(
      (evento) => this.entregar(evento),
      (ms) => {
        this.esperaMs = ms;
      },
    );
    for (;;) {
      const { value, done } = await lector.read();
      if (done) return;
      analizador.empujar(value);
    }
  }

  entregar({ tipo, datos, id }) {
    if (id !== null) this.ultimoId = id;
    if (!tipo) return;
    if (tipo === "resincronizar") {
      // Se perdieron eventos (cliente lento o hueco en el reenvío): cada vista recarga su estado.
      this.emitir("reconectado", {});
      return;
    }
    let carga = {};
    try {
      carga = datos ? JSON.parse(datos) : {};
    } catch {
      return;
    }
    this.emitir(tipo, carga);
  }
}

export const eventos = new FlujoEventos();
