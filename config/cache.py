"""Django's Redis cache backend, keeping one redis-py client per server.

Django's own client builds a new `redis.Redis` for every call; with redis-py 5 and later, that
rebuilds its table of response callbacks each time, which costs more than the round trip to
Redis on loopback. The pages read the cache three times per request (applications/pagecache.py)
and logins count their failures in it, so the client is kept instead. A client is thread-safe
(its pool hands each command a connection), and each thread has its own cache object anyway.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClient
