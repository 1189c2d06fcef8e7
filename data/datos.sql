-- Datos iniciales en SQL (SQLite y PostgreSQL), para cargar a mano sobre data/ddl.sql.
-- El servicio no lo necesita: al arrancar crea estos usuarios (contraseña 123456) por sí mismo.

INSERT INTO usuarios (id, nombre, email, password_hash, rol, activo, creado_en) VALUES
  (1, 'Agente Uno', 'agente1@example.com', '$2b$12$Ld1ZVKM9gEjsShBuWHDXouTbgWy/6tItHboYxrYtliRnfT59GlV6O', 'agente', TRUE, '2025-01-01 08:00:00'),
  (2, 'Supervisora', 'sup@example.com', '$2b$12$lWtRRMkOETZtaWD0cSD7aOcexBSpV7cQR3897YzfyHHoYxw4EvIVK', 'supervisor', TRUE, '2025-01-01 08:00:00'),
  (3, 'Administración', 'admin@example.com', '$2b$12$Cvux4owIHoGN1ITXNQrq9.CwdJLUHfESXI6FgdMHl2G3Ok0N0R7l6', 'admin', TRUE, '2025-01-01 08:00:00');

INSERT INTO llamadas (id, usuario_id, numero_cliente, duracion_segundos, tipo, resultado, fecha_hora, descripcion, satisfaccion, tiempo_espera_segundos, direccion, creado_en, actualizado_en) VALUES
  (1, 1, '+34 600000001', 157, 'venta', 'resuelta', '2025-01-11 09:15:00', 'Interesado en contratar fibra de 600 Mb con línea móvil; pide precio final con IVA.', 4, 5, 'entrante', '2025-01-11 09:30:00', '2025-01-11 09:30:00'),
  (2, 1, '+34 600000002', 194, 'venta', 'resuelta', '2025-01-12 10:15:00', 'Quiere ampliar su plan a 1 Gb y añadir dos líneas para sus hijos. Pide descuento.', 5, 10, 'entrante', '2025-01-12 10:30:00', '2025-01-12 10:30:00'),
  (3, 1, '+34 600000003', 231, 'soporte', 'resuelta', '2025-01-13 09:15:00', 'No le funciona el internet desde ayer; se reinició el router y sigue sin conexión.', 3, 15, 'entrante', '2025-01-13 09:30:00', '2025-01-13 09:30:00'),
  (4, 1, '+34 600000004', 268, 'soporte', 'resuelta', '2025-01-14 10:15:00', 'Cliente no puede entrar a la app, dice que la contraseña no es válida. Se envía enlace.', 4, 20, 'entrante', '2025-01-14 10:30:00', '2025-01-14 10:30:00'),
  (5, 1, '+34 600000005', 305, 'reclamo', 'escalada', '2025-01-15 09:15:00', 'Me cobraron dos veces la factura de octubre y nadie me da solución. Muy molesto.', 5, 25, 'entrante', '2025-01-15 09:30:00', '2025-01-15 09:30:00'),
  (6, 1, '+34 600000006', 342, 'reclamo', 'escalada', '2025-01-16 10:15:00', 'Lleva tres semanas esperando al técnico, quiere poner una queja formal.', 3, 30, 'entrante', '2025-01-16 10:30:00', '2025-01-16 10:30:00'),
  (7, 1, '+34 600000007', 379, 'consulta', 'atendida', '2025-01-17 09:15:00', 'Pregunta por el horario de las tiendas y si puede pagar en efectivo.', 4, 35, 'entrante', '2025-01-17 09:30:00', '2025-01-17 09:30:00'),
  (8, 1, '+34 600000008', 416, 'consulta', 'atendida', '2025-01-18 10:15:00', 'Consulta cuándo vence su permanencia y qué pasa si cambia de compañía.', 5, 40, 'entrante', '2025-01-18 10:30:00', '2025-01-18 10:30:00'),
  (9, 1, '+34 600000009', 453, 'tecnico', 'pendiente', '2025-01-19 09:15:00', 'Router con la luz LOS en rojo; se abre incidencia y se agenda visita técnica.', 3, 45, 'entrante', '2025-01-19 09:30:00', '2025-01-19 09:30:00'),
  (10, 1, '+34 600000010', 490, 'tecnico', 'pendiente', '2025-01-20 10:15:00', 'Velocidad muy por debajo de lo contratado, test da 50 Mb de 600. Se revisa la línea.', 4, 50, 'entrante', '2025-01-20 10:30:00', '2025-01-20 10:30:00'),
  (11, 1, '+34 600000011', 527, 'logistica', 'resuelta', '2025-01-21 09:15:00', 'El pedido del router no ha llegado, el seguimiento lleva cinco días sin moverse.', 5, 55, 'entrante', '2025-01-21 09:30:00', '2025-01-21 09:30:00'),
  (12, 1, '+34 600000012', 564, 'logistica', 'resuelta', '2025-01-22 10:15:00', 'Quiere cambiar la dirección de entrega del teléfono que compró ayer.', 3, 60, 'entrante', '2025-01-22 10:30:00', '2025-01-22 10:30:00');
