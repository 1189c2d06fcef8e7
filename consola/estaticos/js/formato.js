// Formatos para lectores en español (es-ES), en la zona horaria del centro.

const LOCALE = "es-ES";
let zona = Intl.DateTimeFormat().resolvedOptions().timeZone || "Europe/Madrid";

export function fijarZona(nueva) {
  if (!nueva) return;
  try {
    new Intl.DateTimeFormat(LOCALE, { timeZone: nueva });
    zona = nueva;
  } catch {
    /* zona desconocida para el navegador: se queda la anterior */
  }
}

export const zonaActual = () => zona;

const vacio = "—";

export function numero(valor, decimales = 0) {
  if (valor === null || valor === undefined || Number.isNaN(valor)) return vacio;
  return new Intl.NumberFormat(LOCALE, {
    minimumFractionDigits: decimales,
    maximumFractionDigits: decimales,
  }).format(valor);
}

export function porcentaje(fraccion, decimales = 0) {
  if (fraccion === null || fraccion === undefined) return vacio;
  return new Intl.NumberFormat(LOCALE, {
    style: "percent",
    minimumFractionDigits: decimales,
    maximumFractionDigits: decimales,
  }).format(fraccion);
}

export function duracion(segundos) {
  if (segundos === null || segundos === undefined) return vacio;
  const total = Math.max(0, Math.round(segundos));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const seg = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${seg}` : `${m}:${seg}`;
}

export function fechaHora(iso) {
  if (!iso) return vacio;
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: zona, day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit",
  }).format(new Date(iso));
}

export function hora(iso, conSegundos = false) {
  if (!iso) return vacio;
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: zona, hour: "2-digit", minute: "2-digit",
    second: conSegundos ? "2-digit" : undefined,
  }).format(iso instanceof Date ? iso : new Date(iso));
}

export function fechaLarga(fecha = new Date()) {
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: zona, weekday: "long", day: "numeric", month: "long",
  }).format(fecha);
}

function desfaseMinutos(instante, zonaIana) {
  const partes = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zonaIana, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(instante).map((p) => [p.type, p.value]),
  );
  const comoUtc = Date.UTC(partes.year, partes.month - 1, partes.day, partes.hour,
    partes.minute, partes.second);
  return Math.round((comoUtc - instante.getTime()) / 60000);
}

// "2026-11-25" + "00:00:00" en la zona del centro -> instante ISO en UTC.
export function instanteEnZona(fechaIso, horaTexto = "00:00:00", zonaIana = zona) {
  const [a, m, d] = fechaIso.split("-").map(Number);
  const [hh, mm, ss] = horaTexto.split(":").map(Number);
  const local = Date.UTC(a, m - 1, d, hh, mm, ss || 0);
  let instante = new Date(local);
  for (let i = 0; i < 2; i += 1) {
    instante = new Date(local - desfaseMinutos(instante, zonaIana) * 60000);
  }
  return instante.toISOString();
}

// Fecha de hoy (AAAA-MM-DD) en la zona del centro, para los campos de fecha.
export function hoyEnZona(desplazamientoDias = 0) {
  const instante = new Date(Date.now() + desplazamientoDias * 86400000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: zona }).format(instante);
}

export function fechaCorta(iso) {
  if (!iso) return vacio;
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: zona, day: "2-digit", month: "2-digit", year: "numeric",
  }).format(new Date(iso));
}

export const ETIQUETAS = {
  venta: "Venta", soporte: "Soporte", reclamo: "Reclamo", consulta: "Consulta",
  tecnico: "Técnico", logistica: "Logística",
  atendida: "Atendida", colgada: "Colgada", resuelta: "Resuelta", escalada: "Escalada",
  pendiente: "Pendiente", fallida: "Fallida",
  positivo: "Positivo", neutral: "Neutral", negativo: "Negativo",
  disponible: "Disponible", en_llamada: "En llamada", pausa: "En pausa",
  desconectado: "Desconectado",
  agente: "Agente", supervisor: "Supervisor", admin: "Administrador",
  llm: "LLM", local: "Local",
};

export const etiqueta = (valor) => (valor ? ETIQUETAS[valor] || valor : vacio);
