// Selector del estado del agente (disponible, en llamada, pausa con motivo, desconectado) con
// el tiempo que lleva en él; guarda con PUT /api/estados-agente/me.

import { api } from "../api.js";
import { h, vaciar } from "../dom.js";
import { duracion, etiqueta, hora } from "../formato.js";
import { aviso, ESTADOS, insigniaEstado, tarjeta } from "./comunes.js";

const MOTIVOS = ["Descanso", "Comida", "Formación", "Reunión", "Tarea administrativa", "Otro"];

export function selectorEstado() {
  let actual = null;
  const insignia = h("span", { id: "estado-actual" });
  const tiempo = h("span", { class: "estado-tiempo", id: "estado-tiempo" });
  const desde = h("span", { class: "estado-desde" });
  const mensajes = h("div");
  const motivo = h("select", { id: "estado-motivo", name: "motivo", "aria-label": "Motivo de la pausa" },
    h("option", { value: "" }, "Motivo de la pausa…"), MOTIVOS.map((m) => h("option", { value: m }, m)));
  const filaMotivo = h("div", { class: "estado-motivo", hidden: true }, motivo,
    h("button", { class: "boton pequeno primario", type: "button", id: "estado-pausa-confirmar" },
      "Pausar"));
  const botones = ESTADOS.map((estado) => h("button", {
    type: "button", class: `boton-estado est-${estado}`, dataset: { estado },
    id: `estado-${estado}`,
  }, etiqueta(estado)));

  function pintar(dato) {
    actual = dato;
    vaciar(insignia, insigniaEstado(dato.estado), dato.motivo ? h("small", {}, ` · ${dato.motivo}`) : null);
    desde.textContent = dato.desde ? `desde las ${hora(dato.desde)}` : "";
    for (const b of botones) b.classList.toggle("activo", b.dataset.estado === dato.estado);
    tic();
  }

  function tic() {
    if (!actual?.desde) return;
    tiempo.textContent = duracion((Date.now() - new Date(actual.desde).getTime()) / 1000);
  }
  const reloj = setInterval(tic, 1000);

  async function guardar(estado, motivoTexto = null) {
    aviso(mensajes, "");
    try {
      pintar(await api.put("/api/estados-agente/me", { estado, motivo: motivoTexto }));
      filaMotivo.hidden = true;
    } catch (error) {
      aviso(mensajes, error.message);
    }
  }

  for (const b of botones) {
    b.addEventListener("click", () => {
      if (b.dataset.estado === "pausa") {
        filaMotivo.hidden = false;
        motivo.focus();
        return;
      }
      guardar(b.dataset.estado);
    });
  }
  filaMotivo.querySelector("button").addEventListener("click", () => {
    if (!motivo.value) {
      aviso(mensajes, "Elige el motivo de la pausa.");
      return;
    }
    guardar("pausa", motivo.value);
  });

  const el = tarjeta("Mi estado", { id: "tarjeta-estado" },
    h("div", { class: "estado-cabecera" }, insignia, h("div", { class: "estado-reloj" }, tiempo, desde)),
    h("div", { class: "estado-botones", role: "group", "aria-label": "Cambiar estado" }, botones),
    filaMotivo, mensajes);

  api.get("/api/estados-agente/me").then(pintar).catch((error) => aviso(mensajes, error.message));

  return {
    el,
    recibir(dato) {
      pintar(dato);
    },
    destruir() {
      clearInterval(reloj);
    },
  };
}
