"""What python-docx itself needs for loushi's Word documents: the floor ``loushi build -f docx``
is compared with.

Given a folder that ``loushi build -f docx`` wrote, a sample of its documents (spread evenly
over them in path order) is read first, untimed: each one's paragraphs (style, runs, bold,
italic) and tables (style, cell texts), in order. Then, timed in CPU seconds, each is made
again the way a plain python-docx program would: a new document from the same template loushi
starts from (found through ``engine.resources``), the same paragraphs and tables added with the
public API, saved into memory. Printed as JSON: the documents in the folder, the sample, the CPU
seconds per document, the CPU seconds of merely opening the template and saving it (the least a
document costs), and where the template came from.

    python benchmarks/docx_floor.py OUT-FOLDER --sample 200
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def template() -> tuple[bytes, str]:
    """The ``.docx`` loushi's Word documents start from, and where it was found: a shipped
    ``.docx`` among the templates, else the base the Word writer makes itself."""
    sys.path.insert(0, str(ROOT))
    from engine import resources

    shipped = sorted(resources.templates_dir().rglob("*.docx"))
    if shipped:
        return shipped[0].read_bytes(), "templates/" + shipped[0].relative_to(resources.templates_dir()).as_posix()
    import importlib

    for module in ("engine.render.writers.docx", "engine.render.docx"):
        try:
            writer = importlib.import_module(module)
        except ImportError:
            continue
        for name in ("template", "base_template", "base", "_base"):
            made = getattr(writer, name, None)
            found = made() if callable(made) else None
            if isinstance(found, bytes):
                return found, f"{module}.{name}()"
    raise SystemExit("no Word template found: neither a .docx in the templates nor a base in the Word writer")


def content(path: Path) -> list[tuple]:
    """A document's body as (``"p"``, style, runs) and (``"t"``, style, columns, rows of texts)."""
    from docx import Document
    from docx.table import Table

    blocks = []
    for item in Document(str(path)).iter_inner_content():
        style = item.style.name if item.style is not None else None
        if isinstance(item, Table):
            blocks.append(("t", style, len(item.columns), [[cell.text for cell in row.cells] for row in item.rows]))
        else:
            blocks.append(("p", style, [(run.text, run.bold, run.italic) for run in item.runs]))
    return blocks


def make(base: bytes, blocks: list[tuple], styles: set[str]) -> bytes:
    """One document: ``blocks`` added to a new document from ``base``, saved into memory."""
    from docx import Document

    doc = Document(io.BytesIO(base))
    for block in blocks:
        style = block[1] if block[1] in styles else None
        if block[0] == "t":
            _, _, columns, rows = block
            table = doc.add_table(rows=len(rows), cols=columns)
            if style:
                table.style = style
            for row, texts in zip(table.rows, rows):
                for cell, text in zip(row.cells, texts):
                    cell.text = text
        else:
            paragraph = doc.add_paragraph(style=style)
            for text, bold, italic in block[2]:
                run = paragraph.add_run(text)
                if bold is not None:
                    run.bold = bold
                if italic is not None:
                    run.italic = italic
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def sample(files: list[Path], size: int) -> list[Path]:
    """``size`` of ``files`` spread evenly over them (all of them when there are fewer)."""
    if len(files) <= size:
        return files
    return [files[i * len(files) // size] for i in range(size)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder loushi build -f docx wrote")
    parser.add_argument("--sample", type=int, default=200, help="documents made again (default 200)")
    args = parser.parse_args(argv)
    files = sorted(args.folder.rglob("*.docx"))
    if not files:
        raise SystemExit(f"no .docx in {args.folder}")
    picked = sample(files, args.sample)
    bodies = [content(path) for path in picked]
    base, origin = template()
    from docx import Document

    styles = {style.name for style in Document(io.BytesIO(base)).styles}
    gc.collect()
    start = time.process_time()
    for blocks in bodies:
        make(base, blocks, styles)
    spent = time.process_time() - start
    start = time.process_time()
    for _ in picked:  # the least any document costs: the template opened and saved, nothing added
        Document(io.BytesIO(base)).save(io.BytesIO())
    bare = time.process_time() - start
    print(json.dumps({"documents": len(files), "sampled": len(picked), "per_document": spent / len(picked),
                      "open_and_save": bare / len(picked), "template": origin}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
