// Historial propio con filtros y paginación (X-Total-Count) e historial del cliente por número.

import { api } from "../api.js";
import { h, vaciar } from "../dom.js";
import { duracion, etiqueta, fechaHora, instanteEnZona, numero } from "../formato.js";
import {
  aviso, CATEGORIAS, insigniaCategoria, opciones, paginador, RESULTADOS, tarjeta, TIPOS,
} from "./comunes.js";

const TAMANO_PAGINA = 10;

function filaLlamada(ll, conCategoria) {
  return h("tr", { dataset: { id: ll.id } },
    h("td", { class: "num" }, `#${ll.id}`),
    h("td", {}, fechaHora(ll.fecha_hora)),
    h("td", {}, ll.numero_cliente),
    h("td", {}, etiqueta(ll.tipo)),
    h("td", {}, etiqueta(ll.resultado)),
    h("td", { class: "num" }, duracion(ll.duracion_segundos)),
    h("td", { class: "num" }, ll.satisfaccion ?? "—"),
    conCategoria ? h("td", {}, categoriaDe(ll)) : null);
}

// Las listas pueden no traer la clasificación: entonces no se afirma que falte.
const categoriaDe = (ll) => (ll.clasificacion === undefined ? "—"
  : insigniaCategoria(ll.clasificacion?.categoria));

// La columna de categoría solo si la API la trae en la lista.
function tabla(datos) {
  const conCategoria = datos.some((ll) => ll.clasificacion !== undefined);
  const titulos = ["Id", "Fecha", "Cliente", "Tipo", "Resultado", "Duración", "CSAT"];
  return h("table", { class: "tabla" },
    h("thead", {}, h("tr", {}, [...titulos, conCategoria ? "Categoría IA" : null]
      .filter(Boolean).map((t) => h("th", {}, t)))),
    h("tbody", {}, datos.map((ll) => filaLlamada(ll, conCategoria))));
}

export function historialPropio(alElegir = () => {}) {
  const cuerpo = h("div", { class: "tabla-contenedor", id: "historial" });
  const mensajes = h("div");
  const pag = paginador(() => cargar(), TAMANO_PAGINA);
  const campo = (nombre, control, texto) => h("label", { class: "filtro" }, h("span", {}, texto), control);
  const tipo = h("select", { name: "tipo" }, opciones(TIPOS, { vacio: "Todos" }));
  const resultado = h("select", { name: "resultado" }, opciones(RESULTADOS, { vacio: "Todos" }));
  const categoria = h("select", { name: "categoria" },
    opciones(CATEGORIAS, { vacio: "Todas" }), h("option", { value: "sin_clasificar" }, "Sin clasificar"));
  const desde = h("input", { type: "date", name: "desde" });
  const hasta = h("input", { type: "date", name: "hasta" });
  const filtros = h("form", { class: "filtros", id: "filtros-historial" },
    campo("tipo", tipo, "Tipo"), campo("resultado", resultado, "Resultado"),
    campo("categoria", categoria, "Categoría"), campo("desde", desde, "Desde"),
    campo("hasta", hasta, "Hasta"));
  filtros.addEventListener("change", () => {
    pag.reiniciar();
    cargar();
  });
  filtros.addEventListener("submit", (ev) => ev.preventDefault());
  const total = h("span", { class: "contador", id: "historial-total" });
  // Pulsar una llamada abre su grabación y su transcripción.
  cuerpo.addEventListener("click", (ev) => {
    const fila = ev.target.closest("tr[data-id]");
    if (fila) alElegir(Number(fila.dataset.id));
  });

  async function cargar() {
    aviso(mensajes, "");
    try {
      const pagina = await api.get("/api/llamadas/", {
        tipo: tipo.value, resultado: resultado.value, categoria: categoria.value,
        desde: desde.value ? instanteEnZona(desde.value) : "",
        hasta: hasta.value ? instanteEnZona(hasta.value, "23:59:59") : "",
        ...pag.consulta(), limit: TAMANO_PAGINA,
      });
      const { datos, total: n } = pagina;
      total.textContent = `${pagina.exacto ? "" : "más de "}${numero(n)} llamadas`;
      vaciar(cuerpo, datos.length ? tabla(datos)
        : h("p", { class: "vacio" }, "No hay llamadas con estos filtros."));
      pag.actualizar(n, datos.length, pagina);
    } catch (error) {
      aviso(mensajes, error.message);
    }
  }
  cargar();
  return {
    el: tarjeta("Mi historial", { id: "tarjeta-historial", extra: total }, filtros, mensajes, cuerpo, pag.el),
    recargar: cargar,
  };
}

export function historialCliente() {
  const cuerpo = h("div", { id: "historial-cliente" },
    h("p", { class: "vacio" }, "Escribe el número del cliente para ver sus llamadas anteriores."));
  const titulo = h("span", { class: "contador" });
  let ultimo = "";

  async function buscar(numeroCliente) {
    const limpio = numeroCliente.trim();
    ultimo = limpio;
    if (limpio.length < 3) {
      titulo.textContent = "";
      vaciar(cuerpo, h("p", { class: "vacio" }, "Escribe el número del cliente para ver sus llamadas anteriores."));
      return;
    }
    try {
      const { datos, total } = await api.get(`/api/llamadas/cliente/${encodeURIComponent(limpio)}`,
        { limit: 5 });
      if (limpio !== ultimo) return;
      titulo.textContent = total ? `${numero(total)} anteriores` : "";
      vaciar(cuerpo, datos.length
        ? h("ul", { class: "lista-cliente" }, datos.map((ll) => h("li", {},
          h("span", { class: "lc-fecha" }, fechaHora(ll.fecha_hora)),
          h("span", {}, `${etiqueta(ll.tipo)} · ${etiqueta(ll.resultado)}`),
          ll.clasificacion === undefined ? null : categoriaDe(ll),
          ll.descripcion ? h("p", { class: "lc-notas" }, ll.descripcion) : null)))
        : h("p", { class: "vacio" }, "Cliente sin llamadas anteriores."));
      if (total > 1) cuerpo.prepend(h("p", { class: "repite" }, "Cliente que repite: revisa lo anterior antes de responder."));
    } catch (error) {
      if (limpio !== ultimo) return;
      titulo.textContent = "";
      vaciar(cuerpo, h("p", { class: "vacio" }, error.estado === 422
        ? "Número de cliente no válido." : error.message));
    }
  }
  return {
    el: tarjeta("Llamadas anteriores del cliente", { id: "tarjeta-cliente", extra: titulo }, cuerpo),
    buscar,
  };
}
