"""Disparadores que invalidan las fotos diarias, generados desde una sola definición.

Un cambio en una llamada (alta, cambio o baja) invalida la foto cuyo tramo [inicio, fin) en
UTC contiene la llamada y la de cada llamada anterior del mismo cliente dentro de la ventana
del primer contacto (`modelos.sumas.VENTANA_PRIMER_CONTACTO`): su primer contacto depende de
esta. Un cambio de clasificación invalida la foto de su llamada. Las fotos guardan su tramo
en UTC, así que la regla no depende de la zona horaria del centro.
"""

from modelos.sumas import VENTANA_PRIMER_CONTACTO

_DIAS = VENTANA_PRIMER_CONTACTO.days

_SQLITE_LLAMADA = f"""
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE (inicio <= {{f}}.fecha_hora AND {{f}}.fecha_hora < fin)
       OR EXISTS (
          SELECT 1 FROM llamadas AS l
          WHERE l.numero_cliente = {{f}}.numero_cliente
            AND l.fecha_hora >=
                date({{f}}.fecha_hora, '-{_DIAS} days') || substr({{f}}.fecha_hora, 11)
            AND l.fecha_hora < {{f}}.fecha_hora
            AND metricas.inicio <= l.fecha_hora AND l.fecha_hora < metricas.fin);
"""
_SQLITE_CLASIFICACION = """
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE inicio <= (SELECT fecha_hora FROM llamadas WHERE id = {f}.llamada_id)
      AND fin > (SELECT fecha_hora FROM llamadas WHERE id = {f}.llamada_id);
"""
_POSTGRESQL_FUNCIONES = (
    f"""
    CREATE OR REPLACE FUNCTION metricas_invalidar(cliente varchar, instante timestamptz)
    RETURNS void LANGUAGE sql AS $$
        UPDATE metricas SET vigente = false, version = version + 1
        WHERE (inicio <= instante AND instante < fin)
           OR EXISTS (
              SELECT 1 FROM llamadas AS l
              WHERE l.numero_cliente = cliente
                AND l.fecha_hora >= instante - interval '{_DIAS * 24} hours'
                AND l.fecha_hora < instante
                AND metricas.inicio <= l.fecha_hora AND l.fecha_hora < metricas.fin)
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION metricas_invalidar_instante(instante timestamptz)
    RETURNS void LANGUAGE sql AS $$
        UPDATE metricas SET vigente = false, version = version + 1
        WHERE inicio <= instante AND instante < fin
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION metricas_invalidar_llamada() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM metricas_invalidar(OLD.numero_cliente, OLD.fecha_hora);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM metricas_invalidar(NEW.numero_cliente, NEW.fecha_hora);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION metricas_invalidar_clasificacion() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM metricas_invalidar_instante(
                (SELECT fecha_hora FROM llamadas WHERE id = OLD.llamada_id));
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM metricas_invalidar_instante(
                (SELECT fecha_hora FROM llamadas WHERE id = NEW.llamada_id));
        END IF;
        RETURN NULL;
    END $$
    """,
)
_TABLAS_SQLITE = (
    ("llamadas_metricas", "llamadas", _SQLITE_LLAMADA),
    ("clasificacion_metricas", "clasificacion_ia", _SQLITE_CLASIFICACION),
)
_OPERACIONES = (
    ("ins", "INSERT", ("NEW",)),
    ("upd", "UPDATE", ("OLD", "NEW")),
    ("del", "DELETE", ("OLD",)),
)


def crear(dialecto: str) -> list[str]:
    """Sentencias que crean los disparadores (y sus funciones en PostgreSQL)."""
    if dialecto == "sqlite":
        return [
            f"CREATE TRIGGER trg_{nombre}_{sufijo} AFTER {operacion} ON {tabla} BEGIN"
            + "".join(cuerpo.format(f=fila) for fila in filas)
            + "END"
            for nombre, tabla, cuerpo in _TABLAS_SQLITE
            for sufijo, operacion, filas in _OPERACIONES
        ]
    return [
        *_POSTGRESQL_FUNCIONES,
        "CREATE TRIGGER trg_llamadas_metricas AFTER INSERT OR UPDATE OR DELETE ON llamadas "
        "FOR EACH ROW EXECUTE FUNCTION metricas_invalidar_llamada()",
        "CREATE TRIGGER trg_clasificacion_metricas AFTER INSERT OR UPDATE OR DELETE "
        "ON clasificacion_ia FOR EACH ROW EXECUTE FUNCTION metricas_invalidar_clasificacion()",
    ]


def borrar(dialecto: str) -> list[str]:
    """Sentencias que quitan los disparadores (las funciones de PostgreSQL se reemplazan)."""
    if dialecto == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS trg_{nombre}_{sufijo}"
            for nombre, _, _ in _TABLAS_SQLITE
            for sufijo, _, _ in _OPERACIONES
        ]
    return [
        "DROP TRIGGER IF EXISTS trg_llamadas_metricas ON llamadas",
        "DROP TRIGGER IF EXISTS trg_clasificacion_metricas ON clasificacion_ia",
    ]
