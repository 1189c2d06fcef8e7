// Arranque de Swagger UI sin script en línea (la página cumple script-src 'self').
// La configuración llega como JSON en el atributo data-config del contenedor.
(function () {
  "use strict";
  var contenedor = document.getElementById("swagger-ui");
  var config = JSON.parse(contenedor.getAttribute("data-config"));
  if (config.oauth2RedirectUrl) {
    config.oauth2RedirectUrl = window.location.origin + config.oauth2RedirectUrl;
  }
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  window.ui = SwaggerUIBundle(config);
})();
