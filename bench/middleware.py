"""Bench-only middleware (bench.settings puts it first): the number of SQL queries a request
made, in an `X-Bench-Queries` response header that bench/pages.py reads."""

from contextlib import ExitStack

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counted))
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response
