-- Run once by the migrate service before the api starts. Idempotent: `docker compose up` runs it on every start.
CREATE TABLE IF NOT EXISTS products (
    id    integer PRIMARY KEY,
    name  text    NOT NULL,
    price numeric(10, 2) NOT NULL
);

INSERT INTO products (id, name, price) VALUES (1, 'Compose mug', 9.50)
ON CONFLICT (id) DO NOTHING;
