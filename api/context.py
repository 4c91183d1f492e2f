"""What every resolver gets: the service, and dataloaders so that lists fetch in batches."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from kith.accounts import Account
from kith.service import Kith

T = TypeVar("T")


def batch(fetch: Callable[[list[str]], dict[str, Any]]) -> DataLoader[str, Any]:
    """A loader that fetches every id asked for in one tick with one call (None when absent)."""

    async def load(ids: list[str]) -> list[Any]:
        found = await asyncio.to_thread(fetch, list(ids))
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


@dataclass
class Context:
    kith: Kith
    actor: Account | None = None
    address: str = ""  # the client's, for limits per address (web/self_referral.address_of)
    loaders: dict[str, DataLoader] = field(default_factory=dict)

    def loader(self, name: str, fetch: Callable[[list[str]], dict[str, Any]]) -> DataLoader:
        """The request's loader called ``name``, made on first use."""
        if name not in self.loaders:
            self.loaders[name] = batch(fetch)
        return self.loaders[name]

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking service call off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)


Info = StrawberryInfo[Context, None]
