"""Django's database cache with an atomic ``incr``: the shared counter of rate limits without Redis.

Django's ``DatabaseCache.incr`` is a read followed by a write, so two worker
processes counting the same key can both read 5 and both write 6. Here the
read locks the row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
IMMEDIATE transaction holds the database's write lock from its start), so
every request is counted once whatever process serves it.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table = qn(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('value')}, {qn('expires')} FROM {table} WHERE {qn('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value, expires = row
            expression = models.Expression(output_field=models.DateTimeField())
            for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            ):
                expires = converter(expires, expression, connection)
            if expires < tz_now():
                raise ValueError(f"Key '{key}' not found")
            new_value = pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode())) + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {qn('value')} = %s WHERE {qn('cache_key')} = %s", [encoded, key]
            )
        return new_value
