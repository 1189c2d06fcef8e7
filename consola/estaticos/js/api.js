// Cliente de la API: token Bearer en sessionStorage (nunca en la URL) y errores en español.

const CLAVE_TOKEN = "cc.token";
const CLAVE_USUARIO = "cc.usuario";

export class ErrorApi extends Error {
  constructor(estado, mensaje, campos = []) {
    super(mensaje);
    this.estado = estado;
    this.campos = campos;
  }
}

export const sesion = {
  get token() {
    return sessionStorage.getItem(CLAVE_TOKEN);
  },
  get usuario() {
    const texto = sessionStorage.getItem(CLAVE_USUARIO);
    return texto ? JSON.parse(texto) : null;
  },
  guardar(token, usuario) {
    sessionStorage.setItem(CLAVE_TOKEN, token);
    sessionStorage.setItem(CLAVE_USUARIO, JSON.stringify(usuario));
  },
  cerrar() {
    sessionStorage.removeItem(CLAVE_TOKEN);
    sessionStorage.removeItem(CLAVE_USUARIO);
  },
};

let alCaducar = () => {};
export function alExpirarSesion(fn) {
  alCaducar = fn;
}

const MENSAJES_ESTADO = {
  401: "Tu sesión ha caducado o no es válida. Vuelve a iniciar sesión.",
  403: "No tienes permiso para esta acción.",
  404: "No se encontró lo que buscas.",
  429: "Demasiados intentos. Espera un momento y vuelve a probar.",
};

// `detail` de la API: texto, o lista de {campo, msg} en los 422 de validación.
export function mensajeDeError(estado, cuerpo) {
  const detalle = cuerpo && cuerpo.detail;
  if (typeof detalle === "string" && detalle) return { mensaje: detalle, campos: [] };
  if (Array.isArray(detalle) && detalle.length) {
    const campos = detalle.map((e) => e.campo).filter(Boolean);
    const mensaje = detalle.map((e) => e.msg || `${e.campo}: valor no válido`).join(" · ");
    return { mensaje, campos };
  }
  if (estado >= 500) return { mensaje: "Error del servidor. Inténtalo de nuevo.", campos: [] };
  return { mensaje: MENSAJES_ESTADO[estado] || `Error ${estado}`, campos: [] };
}

async function leerCuerpo(respuesta) {
  const tipo = respuesta.headers.get("content-type") || "";
  if (respuesta.status === 204) return null;
  return tipo.includes("application/json") ? respuesta.json() : respuesta.text();
}

export async function peticion(metodo, ruta, { cuerpo, consulta, crudo = false } = {}) {
  const url = new URL(ruta, window.location.origin);
  for (const [clave, valor] of Object.entries(consulta || {})) {
    if (valor !== "" && valor !== null && valor !== undefined) url.searchParams.set(clave, valor);
  }
  const cabeceras = { Accept: "application/json" };
  if (sesion.token) cabeceras.Authorization = `Bearer ${sesion.token}`;
  if (cuerpo !== undefined) cabeceras["Content-Type"] = "application/json";
  let respuesta;
  try {
    respuesta = await fetch(url, {
      method: metodo,
      headers: cabeceras,
      body: cuerpo === undefined ? undefined : JSON.stringify(cuerpo),
      cache: "no-store",
    });
  } catch {
    throw new ErrorApi(0, "Sin conexión con el servidor. Revisa la red e inténtalo de nuevo.");
  }
  if (!respuesta.ok) {
    let datos = null;
    try {
      datos = await leerCuerpo(respuesta);
    } catch {
      datos = null;
    }
    const { mensaje, campos } = mensajeDeError(respuesta.status, datos);
    if (respuesta.status === 401 && sesion.token && !ruta.endsWith("/login")) alCaducar();
    throw new ErrorApi(respuesta.status, mensaje, campos);
  }
  if (crudo) return respuesta;
  const datos = await leerCuerpo(respuesta);
  const total = respuesta.headers.get("X-Total-Count");
  if (total === null) return datos;
  // Listas con cursor: X-Total-Exacto=false si el total es un mínimo; Link rel="next" sigue.
  const enlace = /[?&]cursor=([^&>]+)[^>]*>;\s*rel="next"/.exec(respuesta.headers.get("Link") || "");
  return {
    datos,
    total: Number(total),
    exacto: respuesta.headers.get("X-Total-Exacto") !== "false",
    siguiente: enlace ? decodeURIComponent(enlace[1]) : null,
  };
}

export const api = {
  get: (ruta, consulta) => peticion("GET", ruta, { consulta }),
  post: (ruta, cuerpo) => peticion("POST", ruta, { cuerpo }),
  put: (ruta, cuerpo) => peticion("PUT", ruta, { cuerpo }),
  patch: (ruta, cuerpo) => peticion("PATCH", ruta, { cuerpo }),
  borrar: (ruta) => peticion("DELETE", ruta),
};

// Sube un fichero como multipart/form-data (el navegador pone el Content-Type con su límite).
export async function subirArchivo(ruta, campo, fichero) {
  const datos = new FormData();
  datos.append(campo, fichero);
  const cabeceras = { Accept: "application/json", Authorization: `Bearer ${sesion.token}` };
  const respuesta = await fetch(ruta, { method: "POST", headers: cabeceras, body: datos });
  const cuerpo = await leerCuerpo(respuesta).catch(() => null);
  if (!respuesta.ok) {
    const { mensaje, campos } = mensajeDeError(respuesta.status, cuerpo);
    throw new ErrorApi(respuesta.status, mensaje, campos);
  }
  return cuerpo;
}

export async function iniciarSesion(email, password) {
  const respuesta = await peticion("POST", "/api/usuarios/login", {
    cuerpo: { email, password },
  });
  sesion.guardar(respuesta.access_token, respuesta.usuario);
  return respuesta.usuario;
}

// Descarga con la cabecera Authorization y entrega el fichero como blob (sin token en la URL).
export async function descargar(ruta, consulta, nombrePorDefecto) {
  const respuesta = await peticion("GET", ruta, { consulta, crudo: true });
  const disposicion = respuesta.headers.get("Content-Disposition") || "";
  const coincide = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposicion);
  const nombre = coincide ? decodeURIComponent(coincide[1]) : nombrePorDefecto;
  const blob = await respuesta.blob();
  const enlace = document.createElement("a");
  enlace.href = URL.createObjectURL(blob);
  enlace.download = nombre;
  document.body.append(enlace);
  enlace.click();
  enlace.remove();
  setTimeout(() => URL.revokeObjectURL(enlace.href), 10000);
  return nombre;
}
