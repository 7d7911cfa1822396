"""Query counting for the benchmark (bench/run.py), off unless BENCH_QUERY_HEADER=1.

settings.py registers QueryCountMiddleware first in MIDDLEWARE only when that variable is set,
so normal deployments never wrap their queries.
"""

from django.db import connection


class QueryCountMiddleware:
    """Adds ``X-Queries``: the SQL statements this request ran on the default database,
    including those of the session and authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        return response
