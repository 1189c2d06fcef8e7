// Gráficos en SVG dibujados a mano a partir de los datos reales (sin bibliotecas externas).

import { h, s } from "./dom.js";
import { numero, porcentaje } from "./formato.js";

// Llamadas por hora: barras de hoy y línea del mismo día de la semana pasada.
export function graficoPorHora(porHora, horaActual) {
  const ancho = 960;
  const alto = 300;
  const m = { izq: 44, der: 12, arr: 16, aba: 34 };
  const horas = porHora.length ? porHora : Array.from({ length: 24 }, (_, hora) => ({ hora, hoy: 0, semana_pasada: 0 }));
  const maximo = Math.max(4, ...horas.map((p) => Math.max(p.hoy, p.semana_pasada)));
  const paso = maximo <= 10 ? 2 : maximo <= 40 ? 10 : Math.ceil(maximo / 4 / 10) * 10;
  const tope = Math.ceil(maximo / paso) * paso;
  const anchoUtil = ancho - m.izq - m.der;
  const altoUtil = alto - m.arr - m.aba;
  const columna = anchoUtil / horas.length;
  const y = (v) => m.arr + altoUtil - (v / tope) * altoUtil;
  const x = (i) => m.izq + i * columna;

  const rejilla = [];
  for (let v = 0; v <= tope; v += paso) {
    rejilla.push(s("line", { x1: m.izq, x2: ancho - m.der, y1: y(v), y2: y(v), class: "g-rejilla" }),
      s("text", { x: m.izq - 8, y: y(v) + 5, class: "g-eje", "text-anchor": "end" }, numero(v)));
  }
  const barras = horas.map((p, i) => {
    const alto = Math.max(0, y(0) - y(p.hoy));
    const clase = p.hora === horaActual ? "g-barra actual" : "g-barra";
    return s("rect", {
      x: x(i) + columna * 0.18, y: y(p.hoy), width: columna * 0.64, height: alto, rx: 3, class: clase,
    }, s("title", {}, `${p.hora}:00 · hoy ${p.hoy}, semana pasada ${p.semana_pasada}`));
  });
  const puntos = horas.map((p, i) => `${x(i) + columna / 2},${y(p.semana_pasada)}`).join(" ");
  const etiquetas = horas.filter((p) => p.hora % 2 === 0).map((p) => s("text", {
    x: x(horas.indexOf(p)) + columna / 2, y: alto - 10, class: "g-eje", "text-anchor": "middle",
  }, `${String(p.hora).padStart(2, "0")}h`));
  return s("svg", {
    viewBox: `0 0 ${ancho} ${alto}`, class: "grafico", role: "img", id: "grafico-horas",
    "aria-label": "Llamadas por hora, hoy frente al mismo día de la semana pasada",
    preserveAspectRatio: "none",
  }, rejilla, barras,
  s("polyline", { points: puntos, class: "g-linea" }),
  horas.map((p, i) => s("circle", { cx: x(i) + columna / 2, cy: y(p.semana_pasada), r: 3.5, class: "g-punto" })),
  etiquetas);
}

// Reparto Venta / Soporte / Reclamo como barra apilada con leyenda de cifras.
export function mezclaCategorias(categorias) {
  const orden = [["venta", "Venta"], ["soporte", "Soporte"], ["reclamo", "Reclamo"]];
  const total = orden.reduce((suma, [c]) => suma + (categorias[c] || 0), 0);
  const tramos = orden.map(([c]) => {
    const parte = total ? (categorias[c] || 0) / total : 0;
    return h("span", { class: `tramo cat-${c}`, style: `flex-grow:${parte}` });
  });
  return h("div", { class: "mezcla", id: "mezcla" },
    h("div", { class: "mezcla-barra", role: "img", "aria-label": "Reparto por categoría" },
      total ? tramos : h("span", { class: "tramo vacio" })),
    h("div", { class: "mezcla-leyenda" }, orden.map(([c, texto]) => {
      const n = categorias[c] || 0;
      return h("div", { class: `leyenda cat-${c}`, id: `mezcla-${c}` },
        h("span", { class: "leyenda-punto" }),
        h("span", { class: "leyenda-nombre" }, texto),
        h("span", { class: "leyenda-valor" }, numero(n)),
        h("span", { class: "leyenda-parte" }, total ? porcentaje(n / total) : "—"));
    })));
}

// Medidor semicircular para una proporción 0..1 (sentimiento negativo).
export function medidor(fraccion, nivel) {
  const r = 80;
  const valor = Math.max(0, Math.min(1, fraccion || 0));
  const angulo = Math.PI * (1 - valor);
  const fin = { x: 100 + r * Math.cos(angulo), y: 100 - r * Math.sin(angulo) };
  const arco = (hasta) => `M 20 100 A ${r} ${r} 0 0 1 ${hasta.x.toFixed(2)} ${hasta.y.toFixed(2)}`;
  return s("svg", { viewBox: "0 0 200 112", class: `medidor nivel-${nivel}`, role: "img", "aria-label": "Sentimiento negativo" },
    s("path", { d: arco({ x: 180, y: 100 }), class: "medidor-fondo" }),
    valor > 0 ? s("path", { d: arco(fin), class: "medidor-valor" }) : null);
}
