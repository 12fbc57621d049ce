"""``wenjin search``: find records the way a reader does, and rebuild the search index.

wenjin search 红楼梦
wenjin search hlm --at CC --json
wenjin search reindex
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from wenjin.cli.common import JsonOption, app_context, console, domain_errors, emit_json, progress
from wenjin.search.engine import index_for
from wenjin.search.queries import SearchResults, search
from wenjin.search.services import record_ids_after, rewrite_documents


class _QueryOrCommand(TyperGroup):
    """``wenjin search QUERY…`` searches; ``wenjin search reindex`` is the one sub-command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["query", *args]
        return super().parse_args(ctx, args)


_BATCH = 2_000

app = typer.Typer(
    cls=_QueryOrCommand,
    help="检索 Search: wenjin search QUERY [--at POINT] [--json]; wenjin search reindex",
    no_args_is_help=True,
)


def _hit_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "at": results.at,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "characters_only": results.characters_only,
        "hits": [
            {
                "id": hit.id,
                "control_number": hit.control_number,
                "title": hit.title,
                "author": hit.author,
                "year": hit.year,
                "available": hit.available,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in results.facets.items()
        },
    }


@app.command("query", hidden=True)
def query_command(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., help="检索词 the query: 红楼梦, hlm, title:…, isbn:…"),
    at: str | None = typer.Option(None, "--at", help="服务点代码：只查该点及其下属点的馆藏"),
    page: int = typer.Option(1, "--page", help="第几页 page"),
    per_page: int = typer.Option(20, "--per-page", help="每页条数 hits per page (≤100)"),
    as_json: bool = JsonOption,
) -> None:
    """检索书目 Search the catalogue: ranked hits with available copies."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    text = " ".join(words)
    index = index_for(app_ctx.settings.data_dir, app_ctx.engine)
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        results = search(uow.session, index=index, query=text, at=at, page=page, per_page=per_page)
    if as_json:
        emit_json(_hit_json(results))
        return
    scope = f"（{at} 及下属点 and the points under it）" if at else ""
    console.print(f"[bold]{results.total}[/] 条结果 hits for “{text}”{scope}")
    if results.characters_only:
        console.print(
            "[yellow]未找到完整词语，按单字检索 words not found; searched by character[/]"
        )
    for number, hit in enumerate(results.hits, start=(results.page - 1) * results.per_page + 1):
        author = f" / {hit.author}" if hit.author else ""
        year = f" {hit.year}" if hit.year else ""
        console.print(
            f"{number:>3}. [bold]{hit.title}[/]{author}{year}  "
            f"[dim]#{hit.id} {hit.control_number or ''}[/]  可借 available {hit.available}"
        )


@app.command("reindex")
def reindex_command(
    ctx: typer.Context,
    quiet: bool = typer.Option(False, "--quiet", help="no progress bar"),
    as_json: bool = JsonOption,
) -> None:
    """重建检索索引 Rebuild the search index: rewrite every record's analysed text, then
    index it again. Interrupt it at any time and run it again."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    rewritten = 0
    with progress(quiet=quiet or as_json) as bar:
        with app_ctx.uow(readonly=True) as uow:
            total = record_ids_after(uow.session, 0)
        task = bar.add_task("分析文本 analysing records", total=total)
        last: int | None = 0
        while last is not None:
            with app_ctx.uow() as uow:
                last = rewrite_documents(uow.session, after_id=last, limit=_BATCH)
                uow.commit()
            if last is not None:
                # Every batch but the last is full: no count(*) per batch.
                rewritten = min(rewritten + _BATCH, total)
                bar.update(task, completed=rewritten)
        rewritten = total
        index = index_for(app_ctx.settings.data_dir, app_ctx.engine)
        indexing = bar.add_task("建立索引 indexing", total=rewritten)
        with app_ctx.uow(readonly=True) as uow:
            indexed = index.rebuild(uow.session, progress=lambda n: bar.update(indexing, advance=n))
    if as_json:
        emit_json({"records": rewritten, "indexed": indexed, "index": str(index.path)})
        return
    console.print(f"已重建索引 Reindexed {rewritten} 条记录 records → {index.path}")
