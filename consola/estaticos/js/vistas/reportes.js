// Reportes (supervisor, admin): lista, generar para un periodo en la zona del centro y
// descargar CSV, XLSX o PDF con la cabecera Authorization.

import { api, descargar } from "../api.js";
import { h, vaciar } from "../dom.js";
import { fechaCorta, fechaHora, fijarZona, hoyEnZona, instanteEnZona, numero, zonaActual } from "../formato.js";
import {
  aviso, CATEGORIAS, marcarCampos, opciones, paginador, tarjeta, TIPOS,
} from "../componentes/comunes.js";

const TAMANO = 10;
let zonaConocida = false;

async function asegurarZona() {
  if (zonaConocida) return;
  try {
    fijarZona((await api.get("/api/tablero/")).zona_horaria);
    zonaConocida = true;
  } catch {
    /* sin tablero se usa la zona del navegador */
  }
}

export function vistaReportes(contenedor) {
  const mensajes = h("div", { id: "reportes-mensajes" });
  const cuerpo = h("div", { class: "tabla-contenedor", id: "reportes" });
  const pag = paginador(() => cargar(), TAMANO);
  const total = h("span", { class: "contador" });
  const desde = h("input", { type: "date", name: "desde", id: "reporte-desde", required: true });
  const hasta = h("input", { type: "date", name: "hasta", id: "reporte-hasta", required: true });
  const descripcion = h("input", { name: "descripcion", id: "reporte-descripcion", maxlength: "500", placeholder: "Ej.: Semana 47, equipo de mañana" });
  const tipo = h("select", { name: "tipo" }, opciones(TIPOS, { vacio: "Todos" }));
  const categoria = h("select", { name: "categoria" }, opciones(CATEGORIAS, { vacio: "Todas" }));
  const zona = h("span", { class: "zona" });
  const boton = h("button", { type: "submit", class: "boton primario", id: "reporte-generar" }, "Generar reporte");
  const mesPasado = h("button", { type: "button", class: "boton", id: "reporte-mes-pasado" }, "Mes pasado");
  mesPasado.addEventListener("click", () => {
    // El mes natural anterior en la zona del centro (el informe lo compara con el previo).
    const [anio, mes] = hoyEnZona().split("-").map(Number);
    const [a, m] = mes === 1 ? [anio - 1, 12] : [anio, mes - 1];
    const ultimo = new Date(Date.UTC(a, m, 0)).getUTCDate();
    const mm = String(m).padStart(2, "0");
    [desde.value, hasta.value] = [`${a}-${mm}-01`, `${a}-${mm}-${ultimo}`];
  });
  const campo = (texto, control) => h("label", { class: "campo" }, h("span", {}, texto), control);
  const formulario = h("form", { class: "formulario-reporte", id: "form-reporte", novalidate: true },
    campo("Desde", desde), campo("Hasta", hasta), campo("Tipo", tipo), campo("Categoría", categoria),
    h("label", { class: "campo doble" }, h("span", {}, "Descripción"), descripcion),
    h("div", { class: "acciones" }, zona, mesPasado, boton));

  formulario.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!desde.value || !hasta.value) {
      aviso(mensajes, "Indica las fechas desde y hasta del periodo.");
      return;
    }
    if (desde.value > hasta.value) {
      aviso(mensajes, "desde: debe ser anterior o igual a hasta.");
      return;
    }
    boton.disabled = true;
    try {
      const reporte = await api.post("/api/reportes/", {
        desde: instanteEnZona(desde.value), hasta: instanteEnZona(hasta.value, "23:59:59"),
        tipo: tipo.value || null, categoria: categoria.value || null,
        descripcion: descripcion.value.trim() || null,
      });
      marcarCampos(formulario, {});
      const kpis = reporte.contenido?.total_llamadas;
      aviso(mensajes, `Reporte #${reporte.id} generado${kpis !== undefined ? ` con ${numero(kpis)} llamadas` : ""}.`, "ok");
      pag.reiniciar();
      await cargar();
    } catch (error) {
      aviso(mensajes, marcarCampos(formulario, error));
    } finally {
      boton.disabled = false;
    }
  });

  function botonDescarga(reporte, formato) {
    const b = h("button", { type: "button", class: "boton pequeno", dataset: { formato, reporte: reporte.id } }, formato.toUpperCase());
    b.addEventListener("click", async () => {
      b.disabled = true;
      try {
        const nombre = await descargar(`/api/reportes/${reporte.id}/descargar`, { formato }, `reporte-${reporte.id}.${formato}`);
        aviso(mensajes, `Descargado ${nombre}.`, "ok");
      } catch (error) {
        aviso(mensajes, error.message);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  }

  async function cargar() {
    try {
      const pagina = await api.get("/api/reportes/", { ...pag.consulta(), limit: TAMANO });
      const { datos, total: n } = pagina;
      total.textContent = `${pagina.exacto ? "" : "más de "}${numero(n)} reportes`;
      vaciar(cuerpo, datos.length ? h("table", { class: "tabla" },
        h("thead", {}, h("tr", {}, ["Id", "Generado", "Periodo", "Descripción", "Origen", "Descargar"].map((t) => h("th", {}, t)))),
        h("tbody", {}, datos.map((r) => h("tr", { dataset: { id: r.id }, id: `reporte-${r.id}` },
          h("td", { class: "num" }, `#${r.id}`),
          h("td", {}, fechaHora(r.fecha_generado)),
          h("td", {}, `${fechaCorta(r.desde)} – ${fechaCorta(r.hasta)}`),
          h("td", {}, r.descripcion || "—"),
          h("td", {}, r.automatico ? `Automático${r.periodicidad ? ` (${r.periodicidad})` : ""}` : "Manual"),
          h("td", { class: "descargas" }, ["csv", "xlsx", "pdf"].map((f) => botonDescarga(r, f)))))))
        : h("p", { class: "vacio" }, "Todavía no hay reportes. Genera el primero arriba."));
      pag.actualizar(n, datos.length, pagina);
    } catch (error) {
      aviso(mensajes, error.message);
    }
  }

  vaciar(contenedor, h("div", { class: "pagina-estrecha" },
    tarjeta("Generar reporte", { id: "tarjeta-generar" }, formulario, mensajes),
    tarjeta("Reportes guardados", { id: "tarjeta-reportes", extra: total }, cuerpo, pag.el)));

  // Últimos 7 días; al conocer la zona del centro se recalculan si nadie los ha tocado.
  const porDefecto = () => [hoyEnZona(-6), hoyEnZona()];
  [desde.value, hasta.value] = porDefecto();
  const iniciales = [desde.value, hasta.value];
  asegurarZona().then(() => {
    if (desde.value === iniciales[0] && hasta.value === iniciales[1]) {
      [desde.value, hasta.value] = porDefecto();
    }
    zona.textContent = `Fechas en la zona horaria ${zonaActual()}`;
  });
  cargar();
  return { destruir() {} };
}
