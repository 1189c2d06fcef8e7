-- Esquema de la base de datos del call center, generado desde modelos/ con
-- `python data/generar_ddl.py`. Las migraciones de Alembic (data/migraciones) son
-- las que crean y actualizan la base; este fichero es la referencia legible, con los
-- disparadores que invalidan las fotos diarias de métricas cuando cambia una llamada
-- y los que impiden cambiar o borrar filas de la auditoría.

-- ===== SQLite =====
CREATE TABLE auditoria (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	fecha DATETIME NOT NULL,
	usuario_id INTEGER,
	accion VARCHAR(60) NOT NULL,
	entidad VARCHAR(40) NOT NULL,
	entidad_id INTEGER,
	detalle JSON NOT NULL,
	ip VARCHAR(45),
	request_id VARCHAR(128)
);

CREATE INDEX ix_auditoria_accion ON auditoria (accion);

CREATE INDEX ix_auditoria_entidad ON auditoria (entidad, entidad_id);

CREATE INDEX ix_auditoria_fecha ON auditoria (fecha);

CREATE INDEX ix_auditoria_usuario_id ON auditoria (usuario_id);

CREATE TABLE metricas (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	fecha DATE NOT NULL,
	total_llamadas INTEGER NOT NULL,
	promedio_duracion FLOAT,
	satisfaccion_cliente FLOAT,
	tasa_resolucion FLOAT,
	contenido JSON NOT NULL,
	calculado_en DATETIME NOT NULL,
	vigente BOOLEAN DEFAULT false NOT NULL,
	version INTEGER DEFAULT 0 NOT NULL,
	umbral_nivel_servicio INTEGER,
	zona VARCHAR(64),
	umbral_confianza FLOAT,
	inicio DATETIME,
	fin DATETIME,
	total INTEGER NOT NULL,
	suma_duracion INTEGER NOT NULL,
	con_satisfaccion INTEGER NOT NULL,
	suma_satisfaccion INTEGER NOT NULL,
	satisfaccion_alta INTEGER NOT NULL,
	con_espera INTEGER NOT NULL,
	suma_espera INTEGER NOT NULL,
	dentro_nivel INTEGER NOT NULL,
	primer_contacto INTEGER NOT NULL,
	categoria_venta INTEGER NOT NULL,
	categoria_soporte INTEGER NOT NULL,
	categoria_reclamo INTEGER NOT NULL,
	categoria_sin_clasificar INTEGER NOT NULL,
	tipo_venta INTEGER NOT NULL,
	tipo_soporte INTEGER NOT NULL,
	tipo_reclamo INTEGER NOT NULL,
	tipo_consulta INTEGER NOT NULL,
	tipo_tecnico INTEGER NOT NULL,
	tipo_logistica INTEGER NOT NULL,
	resultado_atendida INTEGER NOT NULL,
	resultado_colgada INTEGER NOT NULL,
	resultado_resuelta INTEGER NOT NULL,
	resultado_escalada INTEGER NOT NULL,
	resultado_pendiente INTEGER NOT NULL,
	resultado_fallida INTEGER NOT NULL,
	direccion_entrante INTEGER NOT NULL,
	direccion_saliente INTEGER NOT NULL,
	motivo_venta_positivo INTEGER NOT NULL,
	motivo_venta_neutral INTEGER NOT NULL,
	motivo_venta_negativo INTEGER NOT NULL,
	motivo_soporte_positivo INTEGER NOT NULL,
	motivo_soporte_neutral INTEGER NOT NULL,
	motivo_soporte_negativo INTEGER NOT NULL,
	motivo_reclamo_positivo INTEGER NOT NULL,
	motivo_reclamo_neutral INTEGER NOT NULL,
	motivo_reclamo_negativo INTEGER NOT NULL,
	hora_00_llamadas INTEGER NOT NULL,
	hora_00_duracion INTEGER NOT NULL,
	hora_01_llamadas INTEGER NOT NULL,
	hora_01_duracion INTEGER NOT NULL,
	hora_02_llamadas INTEGER NOT NULL,
	hora_02_duracion INTEGER NOT NULL,
	hora_03_llamadas INTEGER NOT NULL,
	hora_03_duracion INTEGER NOT NULL,
	hora_04_llamadas INTEGER NOT NULL,
	hora_04_duracion INTEGER NOT NULL,
	hora_05_llamadas INTEGER NOT NULL,
	hora_05_duracion INTEGER NOT NULL,
	hora_06_llamadas INTEGER NOT NULL,
	hora_06_duracion INTEGER NOT NULL,
	hora_07_llamadas INTEGER NOT NULL,
	hora_07_duracion INTEGER NOT NULL,
	hora_08_llamadas INTEGER NOT NULL,
	hora_08_duracion INTEGER NOT NULL,
	hora_09_llamadas INTEGER NOT NULL,
	hora_09_duracion INTEGER NOT NULL,
	hora_10_llamadas INTEGER NOT NULL,
	hora_10_duracion INTEGER NOT NULL,
	hora_11_llamadas INTEGER NOT NULL,
	hora_11_duracion INTEGER NOT NULL,
	hora_12_llamadas INTEGER NOT NULL,
	hora_12_duracion INTEGER NOT NULL,
	hora_13_llamadas INTEGER NOT NULL,
	hora_13_duracion INTEGER NOT NULL,
	hora_14_llamadas INTEGER NOT NULL,
	hora_14_duracion INTEGER NOT NULL,
	hora_15_llamadas INTEGER NOT NULL,
	hora_15_duracion INTEGER NOT NULL,
	hora_16_llamadas INTEGER NOT NULL,
	hora_16_duracion INTEGER NOT NULL,
	hora_17_llamadas INTEGER NOT NULL,
	hora_17_duracion INTEGER NOT NULL,
	hora_18_llamadas INTEGER NOT NULL,
	hora_18_duracion INTEGER NOT NULL,
	hora_19_llamadas INTEGER NOT NULL,
	hora_19_duracion INTEGER NOT NULL,
	hora_20_llamadas INTEGER NOT NULL,
	hora_20_duracion INTEGER NOT NULL,
	hora_21_llamadas INTEGER NOT NULL,
	hora_21_duracion INTEGER NOT NULL,
	hora_22_llamadas INTEGER NOT NULL,
	hora_22_duracion INTEGER NOT NULL,
	hora_23_llamadas INTEGER NOT NULL,
	hora_23_duracion INTEGER NOT NULL,
	baja_confianza INTEGER NOT NULL,
	CONSTRAINT uq_metricas_fecha UNIQUE (fecha)
);

CREATE TABLE tareas_periodicas (
	nombre VARCHAR(64) NOT NULL,
	proxima_en DATETIME NOT NULL,
	ultima_en DATETIME,
	trabajador VARCHAR(64),
	CONSTRAINT pk_tareas_periodicas PRIMARY KEY (nombre)
);

CREATE TABLE trabajos (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	tipo VARCHAR(64) NOT NULL,
	carga JSON NOT NULL,
	estado VARCHAR(12) NOT NULL,
	clave_unica VARCHAR(200),
	intentos INTEGER NOT NULL,
	disponible_en DATETIME NOT NULL,
	arrendado_hasta DATETIME,
	trabajador VARCHAR(64),
	creado_en DATETIME NOT NULL,
	actualizado_en DATETIME NOT NULL,
	CONSTRAINT ck_trabajos_estado_valido CHECK (estado IN ('pendiente', 'procesando', 'lista', 'fallida'))
);

CREATE INDEX ix_trabajos_clave_unica ON trabajos (clave_unica);

CREATE INDEX ix_trabajos_estado_disponible ON trabajos (estado, disponible_en);

CREATE UNIQUE INDEX uq_trabajos_clave_pendiente ON trabajos (clave_unica) WHERE estado = 'pendiente' AND intentos = 0;

CREATE TABLE trabajos_errores (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	trabajo_id INTEGER NOT NULL,
	intento INTEGER NOT NULL,
	error TEXT NOT NULL,
	ocurrido_en DATETIME NOT NULL
);

CREATE INDEX ix_trabajos_errores_trabajo_id ON trabajos_errores (trabajo_id);

CREATE TABLE usuarios (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	nombre VARCHAR(120) NOT NULL,
	email VARCHAR(254) NOT NULL,
	password_hash VARCHAR(100) NOT NULL,
	rol VARCHAR(20) NOT NULL,
	activo BOOLEAN NOT NULL,
	creado_en DATETIME NOT NULL,
	sello VARCHAR(32) DEFAULT '' NOT NULL,
	CONSTRAINT uq_usuarios_email UNIQUE (email),
	CONSTRAINT ck_usuarios_rol CHECK (rol IN ('agente', 'supervisor', 'admin'))
);

CREATE TABLE estados_agente (
	usuario_id INTEGER NOT NULL,
	estado VARCHAR(20) NOT NULL,
	motivo VARCHAR(200),
	desde DATETIME NOT NULL,
	CONSTRAINT pk_estados_agente PRIMARY KEY (usuario_id),
	CONSTRAINT fk_estados_agente_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE CASCADE,
	CONSTRAINT ck_estados_agente_estado CHECK (estado IN ('disponible', 'en_llamada', 'pausa', 'desconectado'))
);

CREATE TABLE llamadas (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	usuario_id INTEGER NOT NULL,
	numero_cliente VARCHAR(30) NOT NULL,
	duracion_segundos INTEGER NOT NULL,
	tipo VARCHAR(20) NOT NULL,
	resultado VARCHAR(20) NOT NULL,
	fecha_hora DATETIME NOT NULL,
	descripcion TEXT,
	satisfaccion SMALLINT,
	tiempo_espera_segundos INTEGER,
	direccion VARCHAR(20) NOT NULL,
	creado_en DATETIME NOT NULL,
	actualizado_en DATETIME NOT NULL,
	CONSTRAINT ck_llamadas_duracion_no_negativa CHECK (duracion_segundos >= 0),
	CONSTRAINT ck_llamadas_satisfaccion_1_a_5 CHECK (satisfaccion BETWEEN 1 AND 5),
	CONSTRAINT ck_llamadas_espera_no_negativa CHECK (tiempo_espera_segundos >= 0),
	CONSTRAINT fk_llamadas_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE RESTRICT,
	CONSTRAINT ck_llamadas_tipo CHECK (tipo IN ('venta', 'soporte', 'reclamo', 'consulta', 'tecnico', 'logistica')),
	CONSTRAINT ck_llamadas_resultado CHECK (resultado IN ('atendida', 'colgada', 'resuelta', 'escalada', 'pendiente', 'fallida')),
	CONSTRAINT ck_llamadas_direccion CHECK (direccion IN ('entrante', 'saliente'))
);

CREATE INDEX ix_llamadas_cliente_fecha ON llamadas (numero_cliente, fecha_hora, id);

CREATE INDEX ix_llamadas_fecha_hora ON llamadas (fecha_hora, id);

CREATE INDEX ix_llamadas_tipo_fecha ON llamadas (tipo, fecha_hora, id);

CREATE INDEX ix_llamadas_tipo_resultado_fecha ON llamadas (tipo, resultado, fecha_hora, id);

CREATE INDEX ix_llamadas_usuario_fecha ON llamadas (usuario_id, fecha_hora, id);

CREATE TABLE metricas_agentes (
	fecha DATE NOT NULL,
	usuario_id INTEGER NOT NULL,
	total INTEGER NOT NULL,
	suma_duracion INTEGER NOT NULL,
	con_satisfaccion INTEGER NOT NULL,
	suma_satisfaccion INTEGER NOT NULL,
	satisfaccion_alta INTEGER NOT NULL,
	con_espera INTEGER NOT NULL,
	suma_espera INTEGER NOT NULL,
	dentro_nivel INTEGER NOT NULL,
	primer_contacto INTEGER NOT NULL,
	categoria_venta INTEGER NOT NULL,
	categoria_soporte INTEGER NOT NULL,
	categoria_reclamo INTEGER NOT NULL,
	categoria_sin_clasificar INTEGER NOT NULL,
	tipo_venta INTEGER NOT NULL,
	tipo_soporte INTEGER NOT NULL,
	tipo_reclamo INTEGER NOT NULL,
	tipo_consulta INTEGER NOT NULL,
	tipo_tecnico INTEGER NOT NULL,
	tipo_logistica INTEGER NOT NULL,
	resultado_atendida INTEGER NOT NULL,
	resultado_colgada INTEGER NOT NULL,
	resultado_resuelta INTEGER NOT NULL,
	resultado_escalada INTEGER NOT NULL,
	resultado_pendiente INTEGER NOT NULL,
	resultado_fallida INTEGER NOT NULL,
	direccion_entrante INTEGER NOT NULL,
	direccion_saliente INTEGER NOT NULL,
	motivo_venta_positivo INTEGER NOT NULL,
	motivo_venta_neutral INTEGER NOT NULL,
	motivo_venta_negativo INTEGER NOT NULL,
	motivo_soporte_positivo INTEGER NOT NULL,
	motivo_soporte_neutral INTEGER NOT NULL,
	motivo_soporte_negativo INTEGER NOT NULL,
	motivo_reclamo_positivo INTEGER NOT NULL,
	motivo_reclamo_neutral INTEGER NOT NULL,
	motivo_reclamo_negativo INTEGER NOT NULL,
	hora_00_llamadas INTEGER NOT NULL,
	hora_00_duracion INTEGER NOT NULL,
	hora_01_llamadas INTEGER NOT NULL,
	hora_01_duracion INTEGER NOT NULL,
	hora_02_llamadas INTEGER NOT NULL,
	hora_02_duracion INTEGER NOT NULL,
	hora_03_llamadas INTEGER NOT NULL,
	hora_03_duracion INTEGER NOT NULL,
	hora_04_llamadas INTEGER NOT NULL,
	hora_04_duracion INTEGER NOT NULL,
	hora_05_llamadas INTEGER NOT NULL,
	hora_05_duracion INTEGER NOT NULL,
	hora_06_llamadas INTEGER NOT NULL,
	hora_06_duracion INTEGER NOT NULL,
	hora_07_llamadas INTEGER NOT NULL,
	hora_07_duracion INTEGER NOT NULL,
	hora_08_llamadas INTEGER NOT NULL,
	hora_08_duracion INTEGER NOT NULL,
	hora_09_llamadas INTEGER NOT NULL,
	hora_09_duracion INTEGER NOT NULL,
	hora_10_llamadas INTEGER NOT NULL,
	hora_10_duracion INTEGER NOT NULL,
	hora_11_llamadas INTEGER NOT NULL,
	hora_11_duracion INTEGER NOT NULL,
	hora_12_llamadas INTEGER NOT NULL,
	hora_12_duracion INTEGER NOT NULL,
	hora_13_llamadas INTEGER NOT NULL,
	hora_13_duracion INTEGER NOT NULL,
	hora_14_llamadas INTEGER NOT NULL,
	hora_14_duracion INTEGER NOT NULL,
	hora_15_llamadas INTEGER NOT NULL,
	hora_15_duracion INTEGER NOT NULL,
	hora_16_llamadas INTEGER NOT NULL,
	hora_16_duracion INTEGER NOT NULL,
	hora_17_llamadas INTEGER NOT NULL,
	hora_17_duracion INTEGER NOT NULL,
	hora_18_llamadas INTEGER NOT NULL,
	hora_18_duracion INTEGER NOT NULL,
	hora_19_llamadas INTEGER NOT NULL,
	hora_19_duracion INTEGER NOT NULL,
	hora_20_llamadas INTEGER NOT NULL,
	hora_20_duracion INTEGER NOT NULL,
	hora_21_llamadas INTEGER NOT NULL,
	hora_21_duracion INTEGER NOT NULL,
	hora_22_llamadas INTEGER NOT NULL,
	hora_22_duracion INTEGER NOT NULL,
	hora_23_llamadas INTEGER NOT NULL,
	hora_23_duracion INTEGER NOT NULL,
	baja_confianza INTEGER NOT NULL,
	CONSTRAINT pk_metricas_agentes PRIMARY KEY (fecha, usuario_id),
	CONSTRAINT fk_metricas_agentes_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE CASCADE
);

CREATE INDEX ix_metricas_agentes_kpi ON metricas_agentes (fecha, usuario_id, total, suma_duracion, suma_satisfaccion, con_satisfaccion, resultado_resuelta, resultado_escalada, resultado_colgada, primer_contacto);

CREATE INDEX ix_metricas_agentes_usuario_id ON metricas_agentes (usuario_id);

CREATE TABLE reportes (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	generado_por INTEGER,
	fecha_generado DATETIME NOT NULL,
	descripcion VARCHAR(500),
	desde DATETIME NOT NULL,
	hasta DATETIME NOT NULL,
	filtros JSON NOT NULL,
	contenido JSON NOT NULL,
	automatico BOOLEAN NOT NULL,
	periodicidad VARCHAR(10),
	huella VARCHAR(200),
	actualizado_en DATETIME,
	CONSTRAINT fk_reportes_generado_por_usuarios FOREIGN KEY(generado_por) REFERENCES usuarios (id) ON DELETE SET NULL
);

CREATE INDEX ix_reportes_fecha_generado ON reportes (fecha_generado);

CREATE INDEX ix_reportes_generado_por ON reportes (generado_por);

CREATE UNIQUE INDEX uq_reportes_automatico_periodo ON reportes (desde, hasta) WHERE automatico = 1;

CREATE TABLE transiciones_estado (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	usuario_id INTEGER NOT NULL,
	estado VARCHAR(20) NOT NULL,
	motivo VARCHAR(200),
	desde DATETIME NOT NULL,
	CONSTRAINT fk_transiciones_estado_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE CASCADE,
	CONSTRAINT ck_transiciones_estado_estado CHECK (estado IN ('disponible', 'en_llamada', 'pausa', 'desconectado'))
);

CREATE INDEX ix_transiciones_estado_usuario_desde ON transiciones_estado (usuario_id, desde);

CREATE TABLE clasificacion_ia (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	llamada_id INTEGER NOT NULL,
	categoria VARCHAR(20) NOT NULL,
	confianza FLOAT NOT NULL,
	recomendacion_agente TEXT NOT NULL,
	sentimiento VARCHAR(20) NOT NULL,
	resumen TEXT,
	motor VARCHAR(20) NOT NULL,
	modelo VARCHAR(120) NOT NULL,
	latencia_ms FLOAT NOT NULL,
	creado_en DATETIME NOT NULL,
	categoria_modelo VARCHAR(20),
	corregida_por_id INTEGER,
	corregida_en DATETIME,
	nota_correccion TEXT,
	CONSTRAINT ck_clasificacion_ia_confianza_0_a_1 CHECK (confianza BETWEEN 0 AND 1),
	CONSTRAINT uq_clasificacion_ia_llamada_id UNIQUE (llamada_id),
	CONSTRAINT fk_clasificacion_ia_llamada_id_llamadas FOREIGN KEY(llamada_id) REFERENCES llamadas (id) ON DELETE CASCADE,
	CONSTRAINT ck_clasificacion_ia_categoria CHECK (categoria IN ('venta', 'soporte', 'reclamo')),
	CONSTRAINT ck_clasificacion_ia_sentimiento CHECK (sentimiento IN ('positivo', 'neutral', 'negativo')),
	CONSTRAINT ck_clasificacion_ia_motor CHECK (motor IN ('llm', 'local')),
	CONSTRAINT ck_clasificacion_ia_categoria_modelo CHECK (categoria_modelo IN ('venta', 'soporte', 'reclamo')),
	CONSTRAINT fk_clasificacion_ia_corregida_por_id_usuarios FOREIGN KEY(corregida_por_id) REFERENCES usuarios (id) ON DELETE SET NULL
);

CREATE INDEX ix_clasificacion_ia_categoria ON clasificacion_ia (categoria);

CREATE TABLE claves_idempotencia (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	usuario_id INTEGER NOT NULL,
	clave VARCHAR(255) NOT NULL,
	huella VARCHAR(64) NOT NULL,
	llamada_id INTEGER NOT NULL,
	creado_en DATETIME NOT NULL,
	expira_en DATETIME NOT NULL,
	CONSTRAINT uq_claves_idempotencia_usuario_id UNIQUE (usuario_id, clave),
	CONSTRAINT fk_claves_idempotencia_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE CASCADE,
	CONSTRAINT fk_claves_idempotencia_llamada_id_llamadas FOREIGN KEY(llamada_id) REFERENCES llamadas (id) ON DELETE CASCADE
);

CREATE INDEX ix_claves_idempotencia_expira_en ON claves_idempotencia (expira_en);

CREATE INDEX ix_claves_idempotencia_llamada_id ON claves_idempotencia (llamada_id);

CREATE TABLE grabaciones (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	llamada_id INTEGER NOT NULL,
	fichero VARCHAR(200) NOT NULL,
	formato VARCHAR(20) NOT NULL,
	codec VARCHAR(40) NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	tamano_bytes BIGINT NOT NULL,
	duracion_segundos FLOAT NOT NULL,
	canales INTEGER NOT NULL,
	frecuencia_hz INTEGER NOT NULL,
	subida_por_id INTEGER,
	creado_en DATETIME NOT NULL,
	CONSTRAINT uq_grabaciones_llamada_id UNIQUE (llamada_id),
	CONSTRAINT fk_grabaciones_llamada_id_llamadas FOREIGN KEY(llamada_id) REFERENCES llamadas (id) ON DELETE CASCADE,
	CONSTRAINT fk_grabaciones_subida_por_id_usuarios FOREIGN KEY(subida_por_id) REFERENCES usuarios (id) ON DELETE SET NULL
);

CREATE INDEX ix_grabaciones_creado_en ON grabaciones (creado_en);

CREATE TABLE transcripciones (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	llamada_id INTEGER NOT NULL,
	estado VARCHAR(20) NOT NULL,
	error TEXT,
	intentos INTEGER NOT NULL,
	motor VARCHAR(40),
	idioma VARCHAR(20),
	duracion_segundos FLOAT,
	mono BOOLEAN,
	segmentos JSON,
	texto TEXT,
	analitica JSON,
	sentimientos JSON,
	cuota_habla FLOAT,
	cuota_silencio FLOAT,
	solape_segundos FLOAT,
	creado_en DATETIME NOT NULL,
	actualizado_en DATETIME NOT NULL,
	CONSTRAINT uq_transcripciones_llamada_id UNIQUE (llamada_id),
	CONSTRAINT fk_transcripciones_llamada_id_llamadas FOREIGN KEY(llamada_id) REFERENCES llamadas (id) ON DELETE CASCADE
);

CREATE TRIGGER trg_llamadas_metricas_ins AFTER INSERT ON llamadas BEGIN
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE (inicio <= NEW.fecha_hora AND NEW.fecha_hora < fin)
       OR EXISTS (
          SELECT 1 FROM llamadas AS l
          WHERE l.numero_cliente = NEW.numero_cliente
            AND l.fecha_hora >=
                date(NEW.fecha_hora, '-7 days') || substr(NEW.fecha_hora, 11)
            AND l.fecha_hora < NEW.fecha_hora
            AND metricas.inicio <= l.fecha_hora AND l.fecha_hora < metricas.fin);
END;

CREATE TRIGGER trg_llamadas_metricas_upd AFTER UPDATE ON llamadas BEGIN
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE (inicio <= OLD.fecha_hora AND OLD.fecha_hora < fin)
       OR EXISTS (
          SELECT 1 FROM llamadas AS l
          WHERE l.numero_cliente = OLD.numero_cliente
            AND l.fecha_hora >=
                date(OLD.fecha_hora, '-7 days') || substr(OLD.fecha_hora, 11)
            AND l.fecha_hora < OLD.fecha_hora
            AND metricas.inicio <= l.fecha_hora AND l.fecha_hora < metricas.fin);

    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE (inicio <= NEW.fecha_hora AND NEW.fecha_hora < fin)
       OR EXISTS (
          SELECT 1 FROM llamadas AS l
          WHERE l.numero_cliente = NEW.numero_cliente
            AND l.fecha_hora >=
                date(NEW.fecha_hora, '-7 days') || substr(NEW.fecha_hora, 11)
            AND l.fecha_hora < NEW.fecha_hora
            AND metricas.inicio <= l.fecha_hora AND l.fecha_hora < metricas.fin);
END;

CREATE TRIGGER trg_llamadas_metricas_del AFTER DELETE ON llamadas BEGIN
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE (inicio <= OLD.fecha_hora AND OLD.fecha_hora < fin)
       OR EXISTS (
          SELECT 1 FROM llamadas AS l
          WHERE l.numero_cliente = OLD.numero_cliente
            AND l.fecha_hora >=
                date(OLD.fecha_hora, '-7 days') || substr(OLD.fecha_hora, 11)
            AND l.fecha_hora < OLD.fecha_hora
            AND metricas.inicio <= l.fecha_hora AND l.fecha_hora < metricas.fin);
END;

CREATE TRIGGER trg_clasificacion_metricas_ins AFTER INSERT ON clasificacion_ia BEGIN
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE inicio <= (SELECT fecha_hora FROM llamadas WHERE id = NEW.llamada_id)
      AND fin > (SELECT fecha_hora FROM llamadas WHERE id = NEW.llamada_id);
END;

CREATE TRIGGER trg_clasificacion_metricas_upd AFTER UPDATE ON clasificacion_ia BEGIN
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE inicio <= (SELECT fecha_hora FROM llamadas WHERE id = OLD.llamada_id)
      AND fin > (SELECT fecha_hora FROM llamadas WHERE id = OLD.llamada_id);

    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE inicio <= (SELECT fecha_hora FROM llamadas WHERE id = NEW.llamada_id)
      AND fin > (SELECT fecha_hora FROM llamadas WHERE id = NEW.llamada_id);
END;

CREATE TRIGGER trg_clasificacion_metricas_del AFTER DELETE ON clasificacion_ia BEGIN
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE inicio <= (SELECT fecha_hora FROM llamadas WHERE id = OLD.llamada_id)
      AND fin > (SELECT fecha_hora FROM llamadas WHERE id = OLD.llamada_id);
END;

CREATE TRIGGER trg_auditoria_sin_cambios BEFORE UPDATE ON auditoria BEGIN SELECT RAISE(ABORT, 'auditoria: solo se añaden filas'); END;

CREATE TRIGGER trg_auditoria_sin_borrado BEFORE DELETE ON auditoria WHEN callcenter_purga_auditoria() IS NOT 1 BEGIN SELECT RAISE(ABORT, 'auditoria: solo se añaden filas'); END;

-- ===== PostgreSQL =====
CREATE TABLE auditoria (
	id SERIAL NOT NULL,
	fecha TIMESTAMP WITH TIME ZONE NOT NULL,
	usuario_id INTEGER,
	accion VARCHAR(60) NOT NULL,
	entidad VARCHAR(40) NOT NULL,
	entidad_id INTEGER,
	detalle JSON NOT NULL,
	ip VARCHAR(45),
	request_id VARCHAR(128),
	CONSTRAINT pk_auditoria PRIMARY KEY (id)
);

CREATE INDEX ix_auditoria_accion ON auditoria (accion);

CREATE INDEX ix_auditoria_entidad ON auditoria (entidad, entidad_id);

CREATE INDEX ix_auditoria_fecha ON auditoria (fecha);

CREATE INDEX ix_auditoria_usuario_id ON auditoria (usuario_id);

CREATE TABLE metricas (
	id SERIAL NOT NULL,
	fecha DATE NOT NULL,
	total_llamadas INTEGER NOT NULL,
	promedio_duracion FLOAT,
	satisfaccion_cliente FLOAT,
	tasa_resolucion FLOAT,
	contenido JSON NOT NULL,
	calculado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	vigente BOOLEAN DEFAULT false NOT NULL,
	version INTEGER DEFAULT 0 NOT NULL,
	umbral_nivel_servicio INTEGER,
	zona VARCHAR(64),
	umbral_confianza FLOAT,
	inicio TIMESTAMP WITH TIME ZONE,
	fin TIMESTAMP WITH TIME ZONE,
	total INTEGER NOT NULL,
	suma_duracion INTEGER NOT NULL,
	con_satisfaccion INTEGER NOT NULL,
	suma_satisfaccion INTEGER NOT NULL,
	satisfaccion_alta INTEGER NOT NULL,
	con_espera INTEGER NOT NULL,
	suma_espera INTEGER NOT NULL,
	dentro_nivel INTEGER NOT NULL,
	primer_contacto INTEGER NOT NULL,
	categoria_venta INTEGER NOT NULL,
	categoria_soporte INTEGER NOT NULL,
	categoria_reclamo INTEGER NOT NULL,
	categoria_sin_clasificar INTEGER NOT NULL,
	tipo_venta INTEGER NOT NULL,
	tipo_soporte INTEGER NOT NULL,
	tipo_reclamo INTEGER NOT NULL,
	tipo_consulta INTEGER NOT NULL,
	tipo_tecnico INTEGER NOT NULL,
	tipo_logistica INTEGER NOT NULL,
	resultado_atendida INTEGER NOT NULL,
	resultado_colgada INTEGER NOT NULL,
	resultado_resuelta INTEGER NOT NULL,
	resultado_escalada INTEGER NOT NULL,
	resultado_pendiente INTEGER NOT NULL,
	resultado_fallida INTEGER NOT NULL,
	direccion_entrante INTEGER NOT NULL,
	direccion_saliente INTEGER NOT NULL,
	motivo_venta_positivo INTEGER NOT NULL,
	motivo_venta_neutral INTEGER NOT NULL,
	motivo_venta_negativo INTEGER NOT NULL,
	motivo_soporte_positivo INTEGER NOT NULL,
	motivo_soporte_neutral INTEGER NOT NULL,
	motivo_soporte_negativo INTEGER NOT NULL,
	motivo_reclamo_positivo INTEGER NOT NULL,
	motivo_reclamo_neutral INTEGER NOT NULL,
	motivo_reclamo_negativo INTEGER NOT NULL,
	hora_00_llamadas INTEGER NOT NULL,
	hora_00_duracion INTEGER NOT NULL,
	hora_01_llamadas INTEGER NOT NULL,
	hora_01_duracion INTEGER NOT NULL,
	hora_02_llamadas INTEGER NOT NULL,
	hora_02_duracion INTEGER NOT NULL,
	hora_03_llamadas INTEGER NOT NULL,
	hora_03_duracion INTEGER NOT NULL,
	hora_04_llamadas INTEGER NOT NULL,
	hora_04_duracion INTEGER NOT NULL,
	hora_05_llamadas INTEGER NOT NULL,
	hora_05_duracion INTEGER NOT NULL,
	hora_06_llamadas INTEGER NOT NULL,
	hora_06_duracion INTEGER NOT NULL,
	hora_07_llamadas INTEGER NOT NULL,
	hora_07_duracion INTEGER NOT NULL,
	hora_08_llamadas INTEGER NOT NULL,
	hora_08_duracion INTEGER NOT NULL,
	hora_09_llamadas INTEGER NOT NULL,
	hora_09_duracion INTEGER NOT NULL,
	hora_10_llamadas INTEGER NOT NULL,
	hora_10_duracion INTEGER NOT NULL,
	hora_11_llamadas INTEGER NOT NULL,
	hora_11_duracion INTEGER NOT NULL,
	hora_12_llamadas INTEGER NOT NULL,
	hora_12_duracion INTEGER NOT NULL,
	hora_13_llamadas INTEGER NOT NULL,
	hora_13_duracion INTEGER NOT NULL,
	hora_14_llamadas INTEGER NOT NULL,
	hora_14_duracion INTEGER NOT NULL,
	hora_15_llamadas INTEGER NOT NULL,
	hora_15_duracion INTEGER NOT NULL,
	hora_16_llamadas INTEGER NOT NULL,
	hora_16_duracion INTEGER NOT NULL,
	hora_17_llamadas INTEGER NOT NULL,
	hora_17_duracion INTEGER NOT NULL,
	hora_18_llamadas INTEGER NOT NULL,
	hora_18_duracion INTEGER NOT NULL,
	hora_19_llamadas INTEGER NOT NULL,
	hora_19_duracion INTEGER NOT NULL,
	hora_20_llamadas INTEGER NOT NULL,
	hora_20_duracion INTEGER NOT NULL,
	hora_21_llamadas INTEGER NOT NULL,
	hora_21_duracion INTEGER NOT NULL,
	hora_22_llamadas INTEGER NOT NULL,
	hora_22_duracion INTEGER NOT NULL,
	hora_23_llamadas INTEGER NOT NULL,
	hora_23_duracion INTEGER NOT NULL,
	baja_confianza INTEGER NOT NULL,
	CONSTRAINT pk_metricas PRIMARY KEY (id),
	CONSTRAINT uq_metricas_fecha UNIQUE (fecha)
);

CREATE TABLE tareas_periodicas (
	nombre VARCHAR(64) NOT NULL,
	proxima_en TIMESTAMP WITH TIME ZONE NOT NULL,
	ultima_en TIMESTAMP WITH TIME ZONE,
	trabajador VARCHAR(64),
	CONSTRAINT pk_tareas_periodicas PRIMARY KEY (nombre)
);

CREATE TABLE trabajos (
	id SERIAL NOT NULL,
	tipo VARCHAR(64) NOT NULL,
	carga JSON NOT NULL,
	estado VARCHAR(12) NOT NULL,
	clave_unica VARCHAR(200),
	intentos INTEGER NOT NULL,
	disponible_en TIMESTAMP WITH TIME ZONE NOT NULL,
	arrendado_hasta TIMESTAMP WITH TIME ZONE,
	trabajador VARCHAR(64),
	creado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	actualizado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_trabajos PRIMARY KEY (id),
	CONSTRAINT ck_trabajos_estado_valido CHECK (estado IN ('pendiente', 'procesando', 'lista', 'fallida'))
);

CREATE INDEX ix_trabajos_clave_unica ON trabajos (clave_unica);

CREATE INDEX ix_trabajos_estado_disponible ON trabajos (estado, disponible_en);

CREATE UNIQUE INDEX uq_trabajos_clave_pendiente ON trabajos (clave_unica) WHERE estado = 'pendiente' AND intentos = 0;

CREATE TABLE trabajos_errores (
	id SERIAL NOT NULL,
	trabajo_id INTEGER NOT NULL,
	intento INTEGER NOT NULL,
	error TEXT NOT NULL,
	ocurrido_en TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_trabajos_errores PRIMARY KEY (id)
);

CREATE INDEX ix_trabajos_errores_trabajo_id ON trabajos_errores (trabajo_id);

CREATE TABLE usuarios (
	id SERIAL NOT NULL,
	nombre VARCHAR(120) NOT NULL,
	email VARCHAR(254) NOT NULL,
	password_hash VARCHAR(100) NOT NULL,
	rol VARCHAR(20) NOT NULL,
	activo BOOLEAN NOT NULL,
	creado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	sello VARCHAR(32) DEFAULT '' NOT NULL,
	CONSTRAINT pk_usuarios PRIMARY KEY (id),
	CONSTRAINT uq_usuarios_email UNIQUE (email),
	CONSTRAINT ck_usuarios_rol CHECK (rol IN ('agente', 'supervisor', 'admin'))
);

CREATE TABLE estados_agente (
	usuario_id INTEGER NOT NULL,
	estado VARCHAR(20) NOT NULL,
	motivo VARCHAR(200),
	desde TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_estados_agente PRIMARY KEY (usuario_id),
	CONSTRAINT fk_estados_agente_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE CASCADE,
	CONSTRAINT ck_estados_agente_estado CHECK (estado IN ('disponible', 'en_llamada', 'pausa', 'desconectado'))
);

CREATE TABLE llamadas (
	id SERIAL NOT NULL,
	usuario_id INTEGER NOT NULL,
	numero_cliente VARCHAR(30) NOT NULL,
	duracion_segundos INTEGER NOT NULL,
	tipo VARCHAR(20) NOT NULL,
	resultado VARCHAR(20) NOT NULL,
	fecha_hora TIMESTAMP WITH TIME ZONE NOT NULL,
	descripcion TEXT,
	satisfaccion SMALLINT,
	tiempo_espera_segundos INTEGER,
	direccion VARCHAR(20) NOT NULL,
	creado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	actualizado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_llamadas PRIMARY KEY (id),
	CONSTRAINT ck_llamadas_duracion_no_negativa CHECK (duracion_segundos >= 0),
	CONSTRAINT ck_llamadas_satisfaccion_1_a_5 CHECK (satisfaccion BETWEEN 1 AND 5),
	CONSTRAINT ck_llamadas_espera_no_negativa CHECK (tiempo_espera_segundos >= 0),
	CONSTRAINT fk_llamadas_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE RESTRICT,
	CONSTRAINT ck_llamadas_tipo CHECK (tipo IN ('venta', 'soporte', 'reclamo', 'consulta', 'tecnico', 'logistica')),
	CONSTRAINT ck_llamadas_resultado CHECK (resultado IN ('atendida', 'colgada', 'resuelta', 'escalada', 'pendiente', 'fallida')),
	CONSTRAINT ck_llamadas_direccion CHECK (direccion IN ('entrante', 'saliente'))
);

CREATE INDEX ix_llamadas_cliente_fecha ON llamadas (numero_cliente, fecha_hora, id);

CREATE INDEX ix_llamadas_fecha_hora ON llamadas (fecha_hora, id);

CREATE INDEX ix_llamadas_tipo_fecha ON llamadas (tipo, fecha_hora, id);

CREATE INDEX ix_llamadas_tipo_resultado_fecha ON llamadas (tipo, resultado, fecha_hora, id);

CREATE INDEX ix_llamadas_usuario_fecha ON llamadas (usuario_id, fecha_hora, id);

CREATE TABLE metricas_agentes (
	fecha DATE NOT NULL,
	usuario_id INTEGER NOT NULL,
	total INTEGER NOT NULL,
	suma_duracion INTEGER NOT NULL,
	con_satisfaccion INTEGER NOT NULL,
	suma_satisfaccion INTEGER NOT NULL,
	satisfaccion_alta INTEGER NOT NULL,
	con_espera INTEGER NOT NULL,
	suma_espera INTEGER NOT NULL,
	dentro_nivel INTEGER NOT NULL,
	primer_contacto INTEGER NOT NULL,
	categoria_venta INTEGER NOT NULL,
	categoria_soporte INTEGER NOT NULL,
	categoria_reclamo INTEGER NOT NULL,
	categoria_sin_clasificar INTEGER NOT NULL,
	tipo_venta INTEGER NOT NULL,
	tipo_soporte INTEGER NOT NULL,
	tipo_reclamo INTEGER NOT NULL,
	tipo_consulta INTEGER NOT NULL,
	tipo_tecnico INTEGER NOT NULL,
	tipo_logistica INTEGER NOT NULL,
	resultado_atendida INTEGER NOT NULL,
	resultado_colgada INTEGER NOT NULL,
	resultado_resuelta INTEGER NOT NULL,
	resultado_escalada INTEGER NOT NULL,
	resultado_pendiente INTEGER NOT NULL,
	resultado_fallida INTEGER NOT NULL,
	direccion_entrante INTEGER NOT NULL,
	direccion_saliente INTEGER NOT NULL,
	motivo_venta_positivo INTEGER NOT NULL,
	motivo_venta_neutral INTEGER NOT NULL,
	motivo_venta_negativo INTEGER NOT NULL,
	motivo_soporte_positivo INTEGER NOT NULL,
	motivo_soporte_neutral INTEGER NOT NULL,
	motivo_soporte_negativo INTEGER NOT NULL,
	motivo_reclamo_positivo INTEGER NOT NULL,
	motivo_reclamo_neutral INTEGER NOT NULL,
	motivo_reclamo_negativo INTEGER NOT NULL,
	hora_00_llamadas INTEGER NOT NULL,
	hora_00_duracion INTEGER NOT NULL,
	hora_01_llamadas INTEGER NOT NULL,
	hora_01_duracion INTEGER NOT NULL,
	hora_02_llamadas INTEGER NOT NULL,
	hora_02_duracion INTEGER NOT NULL,
	hora_03_llamadas INTEGER NOT NULL,
	hora_03_duracion INTEGER NOT NULL,
	hora_04_llamadas INTEGER NOT NULL,
	hora_04_duracion INTEGER NOT NULL,
	hora_05_llamadas INTEGER NOT NULL,
	hora_05_duracion INTEGER NOT NULL,
	hora_06_llamadas INTEGER NOT NULL,
	hora_06_duracion INTEGER NOT NULL,
	hora_07_llamadas INTEGER NOT NULL,
	hora_07_duracion INTEGER NOT NULL,
	hora_08_llamadas INTEGER NOT NULL,
	hora_08_duracion INTEGER NOT NULL,
	hora_09_llamadas INTEGER NOT NULL,
	hora_09_duracion INTEGER NOT NULL,
	hora_10_llamadas INTEGER NOT NULL,
	hora_10_duracion INTEGER NOT NULL,
	hora_11_llamadas INTEGER NOT NULL,
	hora_11_duracion INTEGER NOT NULL,
	hora_12_llamadas INTEGER NOT NULL,
	hora_12_duracion INTEGER NOT NULL,
	hora_13_llamadas INTEGER NOT NULL,
	hora_13_duracion INTEGER NOT NULL,
	hora_14_llamadas INTEGER NOT NULL,
	hora_14_duracion INTEGER NOT NULL,
	hora_15_llamadas INTEGER NOT NULL,
	hora_15_duracion INTEGER NOT NULL,
	hora_16_llamadas INTEGER NOT NULL,
	hora_16_duracion INTEGER NOT NULL,
	hora_17_llamadas INTEGER NOT NULL,
	hora_17_duracion INTEGER NOT NULL,
	hora_18_llamadas INTEGER NOT NULL,
	hora_18_duracion INTEGER NOT NULL,
	hora_19_llamadas INTEGER NOT NULL,
	hora_19_duracion INTEGER NOT NULL,
	hora_20_llamadas INTEGER NOT NULL,
	hora_20_duracion INTEGER NOT NULL,
	hora_21_llamadas INTEGER NOT NULL,
	hora_21_duracion INTEGER NOT NULL,
	hora_22_llamadas INTEGER NOT NULL,
	hora_22_duracion INTEGER NOT NULL,
	hora_23_llamadas INTEGER NOT NULL,
	hora_23_duracion INTEGER NOT NULL,
	baja_confianza INTEGER NOT NULL,
	CONSTRAINT pk_metricas_agentes PRIMARY KEY (fecha, usuario_id),
	CONSTRAINT fk_metricas_agentes_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE CASCADE
);

CREATE INDEX ix_metricas_agentes_kpi ON metricas_agentes (fecha, usuario_id, total, suma_duracion, suma_satisfaccion, con_satisfaccion, resultado_resuelta, resultado_escalada, resultado_colgada, primer_contacto);

CREATE INDEX ix_metricas_agentes_usuario_id ON metricas_agentes (usuario_id);

CREATE TABLE reportes (
	id SERIAL NOT NULL,
	generado_por INTEGER,
	fecha_generado TIMESTAMP WITH TIME ZONE NOT NULL,
	descripcion VARCHAR(500),
	desde TIMESTAMP WITH TIME ZONE NOT NULL,
	hasta TIMESTAMP WITH TIME ZONE NOT NULL,
	filtros JSON NOT NULL,
	contenido JSON NOT NULL,
	automatico BOOLEAN NOT NULL,
	periodicidad VARCHAR(10),
	huella VARCHAR(200),
	actualizado_en TIMESTAMP WITH TIME ZONE,
	CONSTRAINT pk_reportes PRIMARY KEY (id),
	CONSTRAINT fk_reportes_generado_por_usuarios FOREIGN KEY(generado_por) REFERENCES usuarios (id) ON DELETE SET NULL
);

CREATE INDEX ix_reportes_fecha_generado ON reportes (fecha_generado);

CREATE INDEX ix_reportes_generado_por ON reportes (generado_por);

CREATE UNIQUE INDEX uq_reportes_automatico_periodo ON reportes (desde, hasta) WHERE automatico;

CREATE TABLE transiciones_estado (
	id SERIAL NOT NULL,
	usuario_id INTEGER NOT NULL,
	estado VARCHAR(20) NOT NULL,
	motivo VARCHAR(200),
	desde TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_transiciones_estado PRIMARY KEY (id),
	CONSTRAINT fk_transiciones_estado_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE CASCADE,
	CONSTRAINT ck_transiciones_estado_estado CHECK (estado IN ('disponible', 'en_llamada', 'pausa', 'desconectado'))
);

CREATE INDEX ix_transiciones_estado_usuario_desde ON transiciones_estado (usuario_id, desde);

CREATE TABLE clasificacion_ia (
	id SERIAL NOT NULL,
	llamada_id INTEGER NOT NULL,
	categoria VARCHAR(20) NOT NULL,
	confianza FLOAT NOT NULL,
	recomendacion_agente TEXT NOT NULL,
	sentimiento VARCHAR(20) NOT NULL,
	resumen TEXT,
	motor VARCHAR(20) NOT NULL,
	modelo VARCHAR(120) NOT NULL,
	latencia_ms FLOAT NOT NULL,
	creado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	categoria_modelo VARCHAR(20),
	corregida_por_id INTEGER,
	corregida_en TIMESTAMP WITH TIME ZONE,
	nota_correccion TEXT,
	CONSTRAINT pk_clasificacion_ia PRIMARY KEY (id),
	CONSTRAINT ck_clasificacion_ia_confianza_0_a_1 CHECK (confianza BETWEEN 0 AND 1),
	CONSTRAINT uq_clasificacion_ia_llamada_id UNIQUE (llamada_id),
	CONSTRAINT fk_clasificacion_ia_llamada_id_llamadas FOREIGN KEY(llamada_id) REFERENCES llamadas (id) ON DELETE CASCADE,
	CONSTRAINT ck_clasificacion_ia_categoria CHECK (categoria IN ('venta', 'soporte', 'reclamo')),
	CONSTRAINT ck_clasificacion_ia_sentimiento CHECK (sentimiento IN ('positivo', 'neutral', 'negativo')),
	CONSTRAINT ck_clasificacion_ia_motor CHECK (motor IN ('llm', 'local')),
	CONSTRAINT ck_clasificacion_ia_categoria_modelo CHECK (categoria_modelo IN ('venta', 'soporte', 'reclamo')),
	CONSTRAINT fk_clasificacion_ia_corregida_por_id_usuarios FOREIGN KEY(corregida_por_id) REFERENCES usuarios (id) ON DELETE SET NULL
);

CREATE INDEX ix_clasificacion_ia_categoria ON clasificacion_ia (categoria);

CREATE TABLE claves_idempotencia (
	id SERIAL NOT NULL,
	usuario_id INTEGER NOT NULL,
	clave VARCHAR(255) NOT NULL,
	huella VARCHAR(64) NOT NULL,
	llamada_id INTEGER NOT NULL,
	creado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	expira_en TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_claves_idempotencia PRIMARY KEY (id),
	CONSTRAINT uq_claves_idempotencia_usuario_id UNIQUE (usuario_id, clave),
	CONSTRAINT fk_claves_idempotencia_usuario_id_usuarios FOREIGN KEY(usuario_id) REFERENCES usuarios (id) ON DELETE CASCADE,
	CONSTRAINT fk_claves_idempotencia_llamada_id_llamadas FOREIGN KEY(llamada_id) REFERENCES llamadas (id) ON DELETE CASCADE
);

CREATE INDEX ix_claves_idempotencia_expira_en ON claves_idempotencia (expira_en);

CREATE INDEX ix_claves_idempotencia_llamada_id ON claves_idempotencia (llamada_id);

CREATE TABLE grabaciones (
	id SERIAL NOT NULL,
	llamada_id INTEGER NOT NULL,
	fichero VARCHAR(200) NOT NULL,
	formato VARCHAR(20) NOT NULL,
	codec VARCHAR(40) NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	tamano_bytes BIGINT NOT NULL,
	duracion_segundos FLOAT NOT NULL,
	canales INTEGER NOT NULL,
	frecuencia_hz INTEGER NOT NULL,
	subida_por_id INTEGER,
	creado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_grabaciones PRIMARY KEY (id),
	CONSTRAINT uq_grabaciones_llamada_id UNIQUE (llamada_id),
	CONSTRAINT fk_grabaciones_llamada_id_llamadas FOREIGN KEY(llamada_id) REFERENCES llamadas (id) ON DELETE CASCADE,
	CONSTRAINT fk_grabaciones_subida_por_id_usuarios FOREIGN KEY(subida_por_id) REFERENCES usuarios (id) ON DELETE SET NULL
);

CREATE INDEX ix_grabaciones_creado_en ON grabaciones (creado_en);

CREATE TABLE transcripciones (
	id SERIAL NOT NULL,
	llamada_id INTEGER NOT NULL,
	estado VARCHAR(20) NOT NULL,
	error TEXT,
	intentos INTEGER NOT NULL,
	motor VARCHAR(40),
	idioma VARCHAR(20),
	duracion_segundos FLOAT,
	mono BOOLEAN,
	segmentos JSON,
	texto TEXT,
	analitica JSON,
	sentimientos JSON,
	cuota_habla FLOAT,
	cuota_silencio FLOAT,
	solape_segundos FLOAT,
	creado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	actualizado_en TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_transcripciones PRIMARY KEY (id),
	CONSTRAINT uq_transcripciones_llamada_id UNIQUE (llamada_id),
	CONSTRAINT fk_transcripciones_llamada_id_llamadas FOREIGN KEY(llamada_id) REFERENCES llamadas (id) ON DELETE CASCADE
);

CREATE OR REPLACE FUNCTION metricas_invalidar(cliente varchar, instante timestamptz)
    RETURNS void LANGUAGE sql AS $$
        UPDATE metricas SET vigente = false, version = version + 1
        WHERE (inicio <= instante AND instante < fin)
           OR EXISTS (
              SELECT 1 FROM llamadas AS l
              WHERE l.numero_cliente = cliente
                AND l.fecha_hora >= instante - interval '168 hours'
                AND l.fecha_hora < instante
                AND metricas.inicio <= l.fecha_hora AND l.fecha_hora < metricas.fin)
    $$;

CREATE OR REPLACE FUNCTION metricas_invalidar_instante(instante timestamptz)
    RETURNS void LANGUAGE sql AS $$
        UPDATE metricas SET vigente = false, version = version + 1
        WHERE inicio <= instante AND instante < fin
    $$;

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
    END $$;

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
    END $$;

CREATE TRIGGER trg_llamadas_metricas AFTER INSERT OR UPDATE OR DELETE ON llamadas FOR EACH ROW EXECUTE FUNCTION metricas_invalidar_llamada();

CREATE TRIGGER trg_clasificacion_metricas AFTER INSERT OR UPDATE OR DELETE ON clasificacion_ia FOR EACH ROW EXECUTE FUNCTION metricas_invalidar_clasificacion();

CREATE FUNCTION auditoria_solo_anexar() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'UPDATE'
           AND coalesce(current_setting('callcenter.purga_auditoria', true), '') = 'on' THEN
            IF TG_LEVEL = 'ROW' THEN
                RETURN OLD;
            END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'auditoria: solo se añaden filas (% rechazado)', TG_OP;
    END $$;

CREATE TRIGGER trg_auditoria_solo_anexar BEFORE UPDATE OR DELETE ON auditoria FOR EACH ROW EXECUTE FUNCTION auditoria_solo_anexar();

CREATE TRIGGER trg_auditoria_sin_truncate BEFORE TRUNCATE ON auditoria FOR EACH STATEMENT EXECUTE FUNCTION auditoria_solo_anexar();
