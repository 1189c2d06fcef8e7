// Usuarios (admin): lista con búsqueda, alta, cambio de rol y desactivación.

import { api } from "../api.js";
import { debounce, h, vaciar } from "../dom.js";
import { etiqueta, fechaCorta, numero } from "../formato.js";
import { aviso, marcarCampos, opciones, paginador, tarjeta } from "../componentes/comunes.js";

const ROLES = ["agente", "supervisor", "admin"];
const TAMANO = 15;

export function vistaUsuarios(contenedor, yo) {
  const mensajes = h("div", { id: "usuarios-mensajes" });
  const cuerpo = h("div", { class: "tabla-contenedor", id: "usuarios" });
  const total = h("span", { class: "contador" });
  const pag = paginador(() => cargar(), TAMANO);
  const buscar = h("input", { type: "search", id: "usuarios-buscar", placeholder: "Buscar por nombre o correo", "aria-label": "Buscar usuarios" });
  buscar.addEventListener("input", debounce(() => {
    pag.reiniciar();
    cargar();
  }, 300));

  const campo = (texto, control, clase = "") => h("label", { class: `campo ${clase}` }, h("span", {}, texto), control);
  const nombre = h("input", { name: "nombre", id: "usuario-nombre", required: true, maxlength: "120" });
  const email = h("input", { name: "email", id: "usuario-email", type: "email", required: true });
  const clave = h("input", { name: "password", id: "usuario-password", type: "password", required: true, autocomplete: "new-password", minlength: "6" });
  const rol = h("select", { name: "rol", id: "usuario-rol" }, opciones(ROLES));
  const boton = h("button", { type: "submit", class: "boton primario", id: "usuario-crear" }, "Crear usuario");
  const formulario = h("form", { class: "formulario-usuario", id: "form-usuario", novalidate: true },
    campo("Nombre", nombre), campo("Correo electrónico", email), campo("Contraseña", clave),
    campo("Rol", rol), h("div", { class: "acciones" }, boton));
  formulario.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    boton.disabled = true;
    try {
      const nuevo = await api.post("/api/usuarios/", {
        nombre: nombre.value.trim(), email: email.value.trim(), password: clave.value, rol: rol.value,
      });
      marcarCampos(formulario, {});
      formulario.reset();
      aviso(mensajes, `Usuario ${nuevo.nombre} (${nuevo.email}) creado como ${etiqueta(nuevo.rol)}.`, "ok");
      cargar();
    } catch (error) {
      aviso(mensajes, marcarCampos(formulario, error));
    } finally {
      boton.disabled = false;
    }
  });

  async function cambiar(usuario, cambios, texto) {
    try {
      const nuevo = await api.patch(`/api/usuarios/${usuario.id}`, cambios);
      aviso(mensajes, `${nuevo.nombre}: ${texto}.`, "ok");
    } catch (error) {
      aviso(mensajes, error.message);
    }
    cargar();
  }

  function fila(u) {
    const selectorRol = h("select", { "aria-label": `Rol de ${u.nombre}`, class: "rol-fila", disabled: u.id === yo.id }, opciones(ROLES));
    selectorRol.value = u.rol;
    selectorRol.addEventListener("change", () => cambiar(u, { rol: selectorRol.value }, `rol cambiado a ${etiqueta(selectorRol.value)}`));
    const alternar = h("button", { type: "button", class: `boton pequeno ${u.activo ? "peligro" : ""}`, disabled: u.id === yo.id },
      u.activo ? "Desactivar" : "Activar");
    alternar.addEventListener("click", () => cambiar(u, { activo: !u.activo }, u.activo ? "desactivado" : "activado"));
    return h("tr", { dataset: { id: u.id, email: u.email }, class: u.activo ? "" : "inactivo" },
      h("td", {}, u.nombre), h("td", {}, u.email), h("td", {}, selectorRol),
      h("td", {}, h("span", { class: `insignia ${u.activo ? "verde" : "gris"}` }, u.activo ? "Activo" : "Inactivo")),
      h("td", {}, fechaCorta(u.creado_en)), h("td", {}, alternar));
  }

  async function cargar() {
    try {
      const pagina = await api.get("/api/usuarios/", {
        buscar: buscar.value.trim(), ...pag.consulta(), limit: TAMANO,
      });
      const { datos, total: n } = pagina;
      total.textContent = `${pagina.exacto ? "" : "más de "}${numero(n)} usuarios`;
      vaciar(cuerpo, h("table", { class: "tabla" },
        h("thead", {}, h("tr", {}, ["Nombre", "Correo", "Rol", "Estado", "Alta", ""].map((t) => h("th", {}, t)))),
        h("tbody", {}, datos.map(fila))));
      pag.actualizar(n, datos.length, pagina);
    } catch (error) {
      aviso(mensajes, error.message);
    }
  }

  vaciar(contenedor, h("div", { class: "pagina-estrecha" },
    tarjeta("Nuevo usuario", { id: "tarjeta-nuevo-usuario" }, formulario, mensajes),
    tarjeta("Usuarios", { id: "tarjeta-usuarios", extra: total }, buscar, cuerpo, pag.el)));
  cargar();
  return { destruir() {} };
}
