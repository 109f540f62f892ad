// Starts Swagger UI on the docs page. A file, not an inline script: the page's
// Content-Security-Policy allows scripts from this origin only.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-container");
  window.ui = SwaggerUIBundle({
    url: container.dataset.spec,
    dom_id: "#swagger-container",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // the default sends the schema to validator.swagger.io
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  });
});
