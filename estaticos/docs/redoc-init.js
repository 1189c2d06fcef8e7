// Arranque de ReDoc sin script en línea (la página cumple script-src 'self').
// La URL del OpenAPI, la del worker de búsqueda y las opciones llegan en atributos data-*.
(function () {
  "use strict";
  var contenedor = document.getElementById("redoc");
  window.REDOC_WORKER_URL = contenedor.getAttribute("data-worker");
  var opciones = JSON.parse(contenedor.getAttribute("data-opciones"));
  Redoc.init(contenedor.getAttribute("data-openapi"), opciones, contenedor);
})();
