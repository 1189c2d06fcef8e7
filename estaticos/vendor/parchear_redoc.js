// Parches de redoc.standalone.js para servirlo sin ninguna petición fuera del servidor y bajo
// una CSP con script-src 'self' (sin workers desde URLs blob:). Uso: node parchear_redoc.js DIR
"use strict";
const fs = require("fs");
const path = require("path");

const dir = process.argv[2];
const bundle = path.join(dir, "redoc.standalone.js");
let codigo = fs.readFileSync(bundle, "utf8");

function unico(texto) {
  const i = codigo.indexOf(texto);
  if (i < 0 || codigo.indexOf(texto, i + 1) >= 0) {
    throw new Error("El parche no encaja con esta versión de ReDoc: " + texto.slice(0, 60));
  }
  return i;
}

// 1. El logo de Redocly del menú llega de su CDN: una imagen SVG vacía en línea.
const logo = "https://cdn.redoc.ly/redoc/logo-mini.svg";
unico(logo);
codigo = codigo.replace(logo, "data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E");

// 2. La búsqueda corre en un worker hecho con new Blob([...]): se saca a su propio fichero,
// servido desde el mismo origen, cuya URL pone la página en window.REDOC_WORKER_URL.
const inicio = "new Worker(URL.createObjectURL(new Blob([";
const a = unico(inicio);
const q = a + inicio.length;
let i = q + 1;
while (codigo[i] !== codigo[q]) i += codigo[i] === "\\" ? 2 : 1;
const literal = codigo.slice(q, i + 1);
const fin = '])),{name:"[fullhash].worker.js"})';
if (!codigo.startsWith(fin, i + 1)) throw new Error("El worker de ReDoc cambió de forma");
const worker = (0, eval)(literal).replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
fs.writeFileSync(path.join(dir, "redoc-busqueda.worker.js"), worker);
codigo =
  codigo.slice(0, a) +
  'new Worker(window.REDOC_WORKER_URL||"redoc-busqueda.worker.js",{name:"busqueda"})' +
  codigo.slice(i + 1 + fin.length);

fs.writeFileSync(bundle, codigo);
