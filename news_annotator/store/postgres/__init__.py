"""A team project on a PostgreSQL server: the second implementation of the storage
protocol (store/protocol.py), through psycopg 3. Imported only when a project's address
is a `postgresql://` URI, so the file-only app never loads psycopg."""
