// Arranque de la consola: inicio de sesión, barra superior, rutas por rol y flujo de eventos.

import { alExpirarSesion, iniciarSesion, sesion } from "./api.js";
import { h, vaciar } from "./dom.js";
import { eventos } from "./eventos.js";
import { etiqueta, fechaLarga, hora } from "./formato.js";
import { vistaAgente } from "./vistas/agente.js";
import { vistaImportar } from "./vistas/importar.js";
import { vistaReportes } from "./vistas/reportes.js";
import { vistaTablero } from "./vistas/tablero.js";
import { vistaUsuarios } from "./vistas/usuarios.js";

const VISTAS = {
  agente: { titulo: "Mi puesto", roles: ["agente"], crear: vistaAgente },
  tablero: { titulo: "Tablero", roles: ["supervisor", "admin"], crear: vistaTablero },
  reportes: { titulo: "Reportes", roles: ["supervisor", "admin"], crear: vistaReportes },
  importar: { titulo: "Importar", roles: ["supervisor", "admin"], crear: vistaImportar },
  usuarios: { titulo: "Usuarios", roles: ["admin"], crear: vistaUsuarios },
};
const INICIO_POR_ROL = { agente: "agente", supervisor: "tablero", admin: "tablero" };

const raiz = document.getElementById("app");
raiz.classList.remove("cargando");
let vistaActual = null;
let relojes = [];

function rutaActual() {
  return window.location.hash.replace(/^#\/?/, "").split("?")[0];
}

function cerrarSesion() {
  vistaActual?.destruir?.();
  vistaActual = null;
  eventos.detener();
  sesion.cerrar();
  window.location.hash = "";
  pintarLogin();
}

alExpirarSesion(() => cerrarSesion());
eventos.suscribir("sesion_caducada", () => cerrarSesion());

function pintarLogin(aviso = "") {
  for (const r of relojes) clearInterval(r);
  relojes = [];
  const error = h("p", { class: "login-error", role: "alert", id: "login-error" }, aviso);
  const email = h("input", {
    id: "login-email", type: "email", name: "email", autocomplete: "username", required: true,
  });
  const clave = h("input", {
    id: "login-password", type: "password", name: "password",
    autocomplete: "current-password", required: true,
  });
  const boton = h("button", { type: "submit", class: "boton primario ancho" }, "Entrar");
  const formulario = h("form", { class: "login-tarjeta", id: "form-login", novalidate: true },
    h("div", { class: "marca grande" }, h("span", { class: "marca-punto" }), "Centro de llamadas"),
    h("h1", {}, "Iniciar sesión"),
    h("label", { for: "login-email" }, "Correo electrónico"), email,
    h("label", { for: "login-password" }, "Contraseña"), clave,
    error, boton);
  formulario.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!email.value.trim() || !clave.value) {
      error.textContent = "Escribe tu correo y tu contraseña.";
      return;
    }
    boton.disabled = true;
    error.textContent = "";
    try {
      await iniciarSesion(email.value.trim(), clave.value);
      window.location.hash = `#/${INICIO_POR_ROL[sesion.usuario.rol]}`;
      pintarConsola();
    } catch (fallo) {
      error.textContent = fallo.estado === 401
        ? "Correo o contraseña incorrectos."
        : fallo.message;
    } finally {
      boton.disabled = false;
    }
  });
  document.body.className = "pagina-login";
  vaciar(raiz, h("main", { class: "login" }, formulario));
  email.focus();
}

function indicadorConexion() {
  const punto = h("span", { class: "conexion", id: "conexion", title: "Eventos en vivo" });
  const textos = {
    en_vivo: "En vivo", conectando: "Conectando…", reconectando: "Reconectando…",
    desconectado: "Sin conexión",
  };
  eventos.alCambiarEstado((estado) => {
    punto.dataset.estado = estado;
    punto.textContent = textos[estado] || estado;
  });
  return punto;
}

function pintarConsola() {
  const usuario = sesion.usuario;
  const enlaces = Object.entries(VISTAS)
    .filter(([, v]) => v.roles.includes(usuario.rol))
    .map(([clave, v]) => h("a", { href: `#/${clave}`, dataset: { vista: clave } }, v.titulo));
  const reloj = h("span", { class: "reloj", id: "reloj" });
  const fecha = h("span", { class: "fecha-hoy" });
  const tic = () => {
    reloj.textContent = hora(new Date(), true);
    const texto = fechaLarga();
    fecha.textContent = texto.charAt(0).toUpperCase() + texto.slice(1);
  };
  tic();
  relojes.push(setInterval(tic, 1000));
  const cabecera = h("header", { class: "barra" },
    h("div", { class: "marca" }, h("span", { class: "marca-punto" }), "Centro de llamadas"),
    h("nav", { class: "navegacion", "aria-label": "Secciones" }, enlaces),
    h("div", { class: "barra-derecha" },
      fecha, reloj, indicadorConexion(),
      h("span", { class: "quien", id: "quien" }, usuario.nombre,
        h("small", {}, etiqueta(usuario.rol))),
      h("button", { class: "boton fantasma", id: "salir", onclick: cerrarSesion }, "Salir")));
  const principal = h("main", { id: "vista", class: "vista" });
  document.body.className = "pagina-consola";
  vaciar(raiz, cabecera, principal);
  eventos.iniciar();
  navegar();
}

function navegar() {
  const usuario = sesion.usuario;
  const principal = document.getElementById("vista");
  if (!usuario || !principal) return;
  let clave = rutaActual();
  if (!VISTAS[clave]) {
    clave = INICIO_POR_ROL[usuario.rol];
    window.history.replaceState(null, "", `#/${clave}`);
  }
  vistaActual?.destruir?.();
  vistaActual = null;
  document.querySelectorAll(".navegacion a").forEach((a) => {
    a.classList.toggle("activa", a.dataset.vista === clave);
  });
  const vista = VISTAS[clave];
  document.body.dataset.vista = clave;
  if (!vista.roles.includes(usuario.rol)) {
    document.title = "Acceso denegado · Centro de llamadas";
    vaciar(principal, h("section", { class: "denegado", id: "acceso-denegado", role: "alert" },
      h("h1", {}, "Acceso denegado"),
      h("p", {}, `Tu rol (${etiqueta(usuario.rol)}) no puede ver «${vista.titulo}».`),
      h("a", { class: "boton primario", href: `#/${INICIO_POR_ROL[usuario.rol]}` },
        "Ir a mi pantalla")));
    return;
  }
  document.title = `${vista.titulo} · Centro de llamadas`;
  vaciar(principal);
  vistaActual = vista.crear(principal, usuario);
}

window.addEventListener("hashchange", () => {
  if (sesion.token) navegar();
});

if (sesion.token && sesion.usuario) pintarConsola();
else pintarLogin();
