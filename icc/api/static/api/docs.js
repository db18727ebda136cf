// The open API's documentation page: Swagger UI on the OpenAPI document the page names,
// with nothing loaded from another site (no validator badge) and no inline code.
"use strict";

const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  validatorUrl: null,
  defaultModelsExpandDepth: 0,
});
