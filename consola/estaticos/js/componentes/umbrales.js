// Niveles ok / aviso / alerta de cada KPI a partir de los umbrales que devuelve la API.

// Sentido de cada KPI: "mayor" = más es peor; "menor" = menos es peor.
const SENTIDO = {
  aht_segundos: "mayor", abandono: "mayor", escalamiento: "mayor",
  espera_promedio_segundos: "mayor", sentimiento_negativo: "mayor",
  csat_promedio: "menor", nivel_servicio: "menor", fcr: "menor",
};
// Nombres cortos con los que la API puede nombrar los umbrales de cada KPI.
const ALIAS = {
  aht_segundos: ["aht_segundos", "aht"], csat_promedio: ["csat_promedio", "csat"],
  abandono: ["abandono"], escalamiento: ["escalamiento"], fcr: ["fcr"],
  espera_promedio_segundos: ["espera_promedio_segundos", "espera"],
  sentimiento_negativo: ["sentimiento_negativo"], nivel_servicio: ["nivel_servicio"],
};

function buscar(umbrales, kpi) {
  for (const nombre of ALIAS[kpi] || [kpi]) {
    const grupo = umbrales[nombre];
    if (grupo && typeof grupo === "object") {
      return { aviso: grupo.aviso ?? grupo.warn, alerta: grupo.alerta ?? grupo.alert };
    }
    const aviso = umbrales[`${nombre}_aviso`] ?? umbrales[`${nombre}_aviso_segundos`];
    const alerta = umbrales[`${nombre}_alerta`] ?? umbrales[`${nombre}_alerta_segundos`];
    if (aviso !== undefined || alerta !== undefined) return { aviso, alerta };
  }
  if (kpi === "nivel_servicio" && umbrales.nivel_servicio_objetivo !== undefined) {
    const objetivo = umbrales.nivel_servicio_objetivo;
    return { aviso: objetivo, alerta: Math.max(0, objetivo - 0.1) };
  }
  return null;
}

export function nivel(kpi, valor, umbrales = {}) {
  if (valor === null || valor === undefined) return "neutro";
  const limites = buscar(umbrales, kpi);
  if (!limites) return "neutro";
  const { aviso, alerta } = limites;
  if (SENTIDO[kpi] === "menor") {
    if (alerta !== undefined && valor < alerta) return "alerta";
    if (aviso !== undefined && valor < aviso) return "aviso";
    return "ok";
  }
  if (alerta !== undefined && valor >= alerta) return "alerta";
  if (aviso !== undefined && valor >= aviso) return "aviso";
  return "ok";
}

export function textoUmbral(kpi, umbrales = {}, formatear = String) {
  const limites = buscar(umbrales, kpi);
  if (!limites || limites.aviso === undefined) return null;
  return SENTIDO[kpi] === "menor" ? `objetivo ≥ ${formatear(limites.aviso)}` : `objetivo < ${formatear(limites.aviso)}`;
}
