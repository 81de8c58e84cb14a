"""RabbitMQ routing: which routing keys reach a queue through its binding."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def topic_pattern_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic-exchange matching: words split by '.', '*' is one word, '#' is zero or more."""
    return _match(tuple(pattern.split(".")), tuple(routing_key.split(".")))


def _match(pattern: tuple[str, ...], words: tuple[str, ...]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_match(rest, words[i:]) for i in range(len(words) + 1))
    if not words:
        return False
    return (head == "*" or head == words[0]) and _match(rest, words[1:])


def binding_receives(exchange_type: str, binding_key: str | None, routing_key: str | None) -> bool:
    """Whether a message published with `routing_key` reaches a queue bound with `binding_key`."""
    if exchange_type in ("fanout", "headers"):
        return True
    if binding_key is None:
        return True
    if routing_key is None:
        return False
    if exchange_type == "direct":
        return binding_key == routing_key
    return topic_pattern_matches(binding_key, routing_key)
