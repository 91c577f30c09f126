"""Benchmark: agendas rendered per second vs the floor, what the render process costs, and a
ZIP of 50 agendas.

    .venv/bin/python benchmarks/documents_bench.py [--rounds 5]

The floor is loading and saving the same agenda template with python-docx, no data, measured in
the same run. Each round interleaves a floor sample, a render in this process (the sandbox's
budget, no render process: what a render cost before the render process) and a render through
the render process (what every download does), so all three see the same machine load; medians
are compared. Targets: rendering within 1.5x of the floor; the render process adding at most
15 % to a render. Uses the demo data in a throwaway SQLite database.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="documents-bench-"))
    os.environ["DIALOG_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DIALOG_INSTANCE_PATH"] = str(workdir / "instance")

    import sqlalchemy as sa
    from docx import Document

    from dialog import create_app
    from dialog.demo import load_demo_data
    from dialog.documents import rendering, services, zipping
    from dialog.documents.context import build_context
    from dialog.documents.kinds import KINDS
    from dialog.extensions import db
    from dialog.models import Dialogue, DialogueStatus
    from dialog.sandbox import filling
    from dialog.sandbox.process import POOL

    app = create_app({"TESTING": True})
    with app.app_context():
        db.create_all()
        load_demo_data()
        db.session.commit()
        kind = KINDS["agenda"]
        dialogues = list(
            db.session.scalars(
                sa.select(Dialogue)
                .where(Dialogue.status != DialogueStatus.CANCELLED)
                .order_by(Dialogue.id)
            )
        )
        template = services.template_in_force(kind, dialogues[0].care_home.municipality.region_id)
        started = time.perf_counter()
        contexts = [build_context(d, kind) for d in dialogues]
        context_ms = (time.perf_counter() - started) / len(contexts) * 1000
        n = len(contexts)

        def floor_once() -> float:
            t = time.perf_counter()
            Document(io.BytesIO(template.content)).save(io.BytesIO())
            return time.perf_counter() - t

        def render_once(ctx) -> float:
            t = time.perf_counter()
            rendering.render(template.content, kind, ctx)
            return time.perf_counter() - t

        def in_process_once(ctx) -> float:
            request = filling.RenderRequest(
                template=template.content,
                context=ctx,
                finish=partial(rendering.finish_document, kind.key),
            )
            t = time.perf_counter()
            filling.fill(request)
            return time.perf_counter() - t

        POOL.shutdown()
        t = time.perf_counter()
        render_once(contexts[0])  # starts a render process: imports, then a cold compile
        cold = time.perf_counter() - t
        for ctx in contexts[:3]:  # warm up (imports, compiled template cache)
            floor_once(), render_once(ctx), in_process_once(ctx)
        # Interleaved: each floor, in-process and render-process sample see the same machine
        # load (the machine is shared); the medians are compared.
        floors, renders, in_process = [], [], []
        for _ in range(args.rounds):
            for ctx in contexts:
                floors.append(floor_once())
                in_process.append(in_process_once(ctx))
                renders.append(render_once(ctx))
        floor, render = statistics.median(floors), statistics.median(renders)
        local = statistics.median(in_process)

        t = time.perf_counter()
        for d in dialogues:
            services.render_document(d, kind)
        end_to_end = (time.perf_counter() - t) / n

        ids = [dialogues[i % n].id for i in range(50)]
        t = time.perf_counter()
        size = 0
        peak_chunk = 0
        for chunk in zipping.stream_zip(kind, ids):
            size += len(chunk)
            peak_chunk = max(peak_chunk, len(chunk))
        zip_seconds = time.perf_counter() - t

    print(
        f"demo dialogues: {n}, rounds: {args.rounds}, {len(floors)} interleaved triplets (medians)"
    )
    print(
        f"floor  (python-docx load+save, no data): {floor * 1000:7.1f} ms  {1 / floor:6.1f} docs/s"
    )
    print(
        f"agenda in this process (sandbox budget):  {local * 1000:7.1f} ms  "
        f"{1 / local:6.1f} agendas/s"
    )
    print(
        f"agenda through the render process:       {render * 1000:7.1f} ms  "
        f"{1 / render:6.1f} agendas/s"
    )
    print(
        f"render process cost: {(render - local) * 1000:+.1f} ms per agenda, "
        f"{render / local:.2f}x (target <= 1.15x) "
        f"{'OK' if render / local <= 1.15 else 'OVER TARGET'}; "
        f"a new render process and its first agenda: {cold * 1000:.0f} ms"
    )
    print(
        f"ratio render/floor: {render / floor:.2f}x (target <= 1.5x) "
        f"{'OK' if render / floor <= 1.5 else 'OVER TARGET'}"
    )
    print(
        f"context from the database: {context_ms:.1f} ms per dialogue; end to end "
        f"{end_to_end * 1000:.1f} ms ({1 / end_to_end:.1f} agendas/s, "
        f"{end_to_end / floor:.2f}x floor)"
    )
    print(
        f"ZIP of 50 agendas: {zip_seconds:.2f} s, {size / 1e6:.2f} MB, largest chunk held "
        f"{peak_chunk / 1e3:.0f} kB"
    )


if __name__ == "__main__":
    main()
