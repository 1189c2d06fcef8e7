"""Auditoría: quién hizo qué, cuándo y desde dónde; la fila va en la transacción del cambio."""

import enum
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from config import CLAVE_DE_EJEMPLO, Ajustes
from crud import auditoria as crud_auditoria
from crud.auditoria import FiltrosAuditoria
from crud.paginacion import PaginaFilas, PedidoPagina
from modelos.clasificacion_ia import ClasificacionIA
from modelos.llamada import Llamada
from modelos.reporte import Reporte
from modelos.usuario import Usuario
from observabilidad.contexto import contexto_actual

registro = logging.getLogger("callcenter.auditoria")

# Claves que nunca se guardan, estén donde estén del detalle (contraseñas, hashes, tokens).
PALABRAS_SECRETAS = ("password", "hash", "token", "secret", "clave_secreta")
CAMPOS_USUARIO = ("nombre", "email", "rol", "activo")


class _DelContexto:
    """Marca: el usuario de la fila es el autenticado en la petición en curso."""


DEL_CONTEXTO = _DelContexto()


def _json(valor: Any) -> Any:
    """Valor apto para JSON, sin claves secretas."""
    if isinstance(valor, dict):
        return {
            str(k): _json(v)
            for k, v in valor.items()
            if not any(p in str(k).lower() for p in PALABRAS_SECRETAS)
        }
    if isinstance(valor, list | tuple | set):
        return [_json(v) for v in valor]
    if isinstance(valor, enum.Enum):
        return valor.value
    if isinstance(valor, datetime | date):
        return valor.isoformat()
    if valor is None or isinstance(valor, bool | int | float | str):
        return valor
    return str(valor)


def registrar(
    *,
    sesion: Session,
    accion: str,
    entidad: str,
    entidad_id: int | None = None,
    detalle: dict[str, Any] | None = None,
    usuario_id: int | None | _DelContexto = DEL_CONTEXTO,
) -> None:
    """Añade la fila a la transacción en curso: si el cambio se deshace, ella también."""
    contexto = contexto_actual()
    if isinstance(usuario_id, _DelContexto):
        usuario_id = contexto.usuario_id if contexto else None
    crud_auditoria.crear(
        sesion=sesion,
        datos={
            "usuario_id": usuario_id,
            "accion": accion,
            "entidad": entidad,
            "entidad_id": entidad_id,
            "detalle": _json(detalle or {}),
            "ip": contexto.ip if contexto else None,
            "request_id": contexto.request_id if contexto else None,
        },
    )


def registrar_aparte(*, sesion: Session, **datos: Any) -> None:
    """En su propia transacción corta (login, descargas): no depende de la de la petición."""
    with Session(bind=sesion.get_bind()) as propia:
        registrar(sesion=propia, **datos)
        propia.commit()


def login_correcto(*, sesion: Session, usuario: Usuario) -> None:
    registrar_aparte(
        sesion=sesion,
        accion="login.correcto",
        entidad="usuario",
        entidad_id=usuario.id,
        detalle={"email": usuario.email},
        usuario_id=usuario.id,
    )


def login_fallido(
    *, sesion: Session, email: str, usuario: Usuario | None, bloqueado: bool = False
) -> None:
    """El correo intentado (nunca la contraseña) y por qué no entró."""
    if bloqueado:
        motivo = "demasiados intentos"
    elif usuario is None:
        motivo = "correo desconocido"
    else:
        motivo = "contraseña incorrecta" if usuario.activo else "usuario desactivado"
    registrar_aparte(
        sesion=sesion,
        accion="login.bloqueado" if bloqueado else "login.fallido",
        entidad="usuario",
        entidad_id=usuario.id if usuario else None,
        detalle={"email": email[:254], "motivo": motivo},
        usuario_id=None,
    )


def _diferencias(
    objeto: object,
    cambios: dict[str, Any],
    *,
    campos: Iterable[str] | None = None,
    mostrar: Callable[[str, Any], Any] = lambda _campo, valor: valor,
) -> dict[str, dict[str, Any]]:
    """Cada campo que cambia (de `campos`, si se dan) con su valor viejo y el nuevo."""
    permitidos = set(campos) if campos is not None else None
    return {
        campo: {"antes": mostrar(campo, getattr(objeto, campo)), "despues": mostrar(campo, valor)}
        for campo, valor in cambios.items()
        if (permitidos is None or campo in permitidos) and getattr(objeto, campo) != valor
    }


def usuario_creado(*, sesion: Session, usuario: Usuario) -> None:
    detalle = {campo: getattr(usuario, campo) for campo in CAMPOS_USUARIO}
    registrar(
        sesion=sesion,
        accion="usuario.creado",
        entidad="usuario",
        entidad_id=usuario.id,
        detalle=detalle,
    )


def usuario_cambiado(
    *, sesion: Session, usuario: Usuario, cambios: dict[str, Any], password_cambiada: bool
) -> None:
    """Antes de aplicar los cambios: guarda el valor viejo y el nuevo (rol incluido)."""
    diferencias = _diferencias(usuario, cambios, campos=CAMPOS_USUARIO)
    if not diferencias and not password_cambiada:
        return
    activo = diferencias.get("activo", {}).get("despues")
    if activo is not None:
        accion = "usuario.reactivado" if activo else "usuario.desactivado"
    else:
        accion = "usuario.cambiado" if diferencias else "usuario.password_cambiada"
    detalle: dict[str, Any] = {"cambios": diferencias}
    if password_cambiada:
        detalle["credenciales"] = "password cambiada"
    registrar(
        sesion=sesion, accion=accion, entidad="usuario", entidad_id=usuario.id, detalle=detalle
    )


def usuario_eliminado(*, sesion: Session, usuario: Usuario, desactivado: bool) -> None:
    """Baja: borrado, o desactivación si tenía historial."""
    registrar(
        sesion=sesion,
        accion="usuario.desactivado" if desactivado else "usuario.eliminado",
        entidad="usuario",
        entidad_id=usuario.id,
        detalle={
            **{campo: getattr(usuario, campo) for campo in ("nombre", "email", "rol")},
            "motivo": "baja de un usuario con historial" if desactivado else "baja",
        },
    )


def _valor_llamada(campo: str, valor: Any) -> Any:
    # Las notas pueden ser una transcripción entera: solo consta que cambiaron.
    return f"{len(valor or '')} caracteres" if campo == "descripcion" else valor


def llamada_cambiada(*, sesion: Session, llamada: Llamada, cambios: dict[str, Any]) -> None:
    """Antes de aplicar los cambios: cada campo que cambia con su valor viejo y el nuevo."""
    diferencias = _diferencias(llamada, cambios, mostrar=_valor_llamada)
    if diferencias:
        registrar(
            sesion=sesion,
            accion="llamada.cambiada",
            entidad="llamada",
            entidad_id=llamada.id,
            detalle={"cambios": diferencias},
        )


def llamada_eliminada(*, sesion: Session, llamada: Llamada) -> None:
    detalle = {
        campo: getattr(llamada, campo)
        for campo in ("usuario_id", "numero_cliente", "fecha_hora", "tipo", "resultado")
    }
    registrar(
        sesion=sesion,
        accion="llamada.eliminada",
        entidad="llamada",
        entidad_id=llamada.id,
        detalle=detalle,
    )


def clasificacion_corregida(
    *, sesion: Session, clasificacion: ClasificacionIA, cambios: dict[str, Any]
) -> None:
    """Gancho para una corrección manual: llamarlo antes de aplicar los cambios y confirmar."""
    diferencias = _diferencias(clasificacion, cambios)
    registrar(
        sesion=sesion,
        accion="clasificacion.corregida",
        entidad="clasificacion",
        entidad_id=clasificacion.id,
        detalle={"llamada_id": clasificacion.llamada_id, "cambios": diferencias},
    )


def reporte_generado(*, sesion: Session, reporte: Reporte) -> None:
    registrar(
        sesion=sesion,
        accion="reporte.generado",
        entidad="reporte",
        entidad_id=reporte.id,
        detalle={
            "desde": reporte.desde,
            "hasta": reporte.hasta,
            "filtros": reporte.filtros,
            "automatico": reporte.automatico,
        },
        usuario_id=reporte.generado_por,
    )


def reporte_descargado(*, sesion: Session, reporte: Reporte, formato: str) -> None:
    registrar_aparte(
        sesion=sesion,
        accion="reporte.descargado",
        entidad="reporte",
        entidad_id=reporte.id,
        detalle={"formato": formato},
    )


def registrar_arranque(*, fabrica: sessionmaker[Session], ajustes: Ajustes) -> None:
    """Arranque con los ajustes que importan para la seguridad (sin ningún secreto)."""
    detalle = {
        "entorno": ajustes.entorno,
        "motor_bd": "sqlite" if ajustes.es_sqlite else "postgresql",
        "clasificador": "llm" if ajustes.openai_base_url else "local",
        "clasificacion_automatica": ajustes.clasificacion_automatica,
        "reporte_automatico": ajustes.reporte_automatico,
        "log_formato": ajustes.log_formato,
        "metricas": "token" if ajustes.metricas_token else "solo loopback",
    }
    inseguras = []
    if ajustes.secret_key == CLAVE_DE_EJEMPLO:
        inseguras.append("SECRET_KEY es la clave de ejemplo")
    elif len(ajustes.secret_key) < 32:
        inseguras.append("SECRET_KEY tiene menos de 32 caracteres")
    with fabrica() as sesion:
        registrar(
            sesion=sesion,
            accion="sistema.arranque",
            entidad="sistema",
            detalle=detalle,
            usuario_id=None,
        )
        for motivo in inseguras:
            registro.warning("%s: fíjala en el entorno antes de usar esto en serio", motivo)
            registrar(
                sesion=sesion,
                accion="sistema.clave_insegura",
                entidad="sistema",
                detalle={"motivo": motivo},
                usuario_id=None,
            )
        sesion.commit()


def auditoria_exportada(*, sesion: Session, filtros: FiltrosAuditoria) -> None:
    """Quién se llevó una copia del registro y con qué filtros."""
    usados = {clave: valor for clave, valor in asdict(filtros).items() if valor is not None}
    registrar_aparte(
        sesion=sesion, accion="auditoria.exportada", entidad="auditoria", detalle=usados
    )


def listar(*, sesion: Session, filtros: FiltrosAuditoria, pedido: PedidoPagina) -> PaginaFilas:
    """Página de la auditoría, lo más reciente primero."""
    return crud_auditoria.listar(sesion=sesion, filtros=filtros, pedido=pedido)
