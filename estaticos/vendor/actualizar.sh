#!/usr/bin/env bash
# Renueva Swagger UI y ReDoc desde el registro de npm (solo los ficheros construidos y sus
# licencias). Uso: bash estaticos/vendor/actualizar.sh [version_swagger_ui] [version_redoc]
set -euo pipefail
cd "$(dirname "$0")"
SWAGGER_UI="${1:-5.35.0}"
REDOC="${2:-2.5.4}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "swagger-ui-dist@$SWAGGER_UI" "redoc@$REDOC" >/dev/null)
mkdir -p "$tmp/s" "$tmp/r" swagger-ui redoc
tar xzf "$tmp/swagger-ui-dist-$SWAGGER_UI.tgz" -C "$tmp/s"
tar xzf "$tmp/redoc-$REDOC.tgz" -C "$tmp/r"

for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css \
  oauth2-redirect.js LICENSE NOTICE; do
  cp "$tmp/s/package/$f" swagger-ui/
done
for f in redoc.standalone.js redoc.standalone.js.LICENSE.txt; do
  cp "$tmp/r/package/bundles/$f" redoc/
done
cp "$tmp/r/package/LICENSE" redoc/

# Sin mapas de fuentes (no se distribuyen: el navegador no debe pedir un .map que falta).
sed -i -E '\#^(//|/\*)\# sourceMappingURL=#d' swagger-ui/swagger-ui-bundle.js swagger-ui/swagger-ui.css \
  redoc/redoc.standalone.js
# Sin logo de Redocly desde su CDN y con la búsqueda en un worker servido aquí (ver el script).
node parchear_redoc.js redoc
cp "$tmp/r/package/bundles/"*.worker.js.LICENSE.txt redoc/
sha256sum swagger-ui/* redoc/* | grep -v LICENSE | grep -v NOTICE
