"""`flask privacy-check`: LINE:COLUMN: KIND: message, exit 1 on hits, 0 otherwise."""

from __future__ import annotations


def test_privacy_check_file_with_hits(runner, world, tmp_path):
    path = tmp_path / "utkast.txt"
    path.write_text(
        "Rutinen följs.\nBoende i rum 14 föll.\nPnr 19121212-1212 och Gunvor.\n", encoding="utf-8"
    )
    result = runner.invoke(args=["privacy-check", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("2:10: rumsnummer: ")
    assert lines[1].startswith("3:1: personnummer: ")
    assert lines[2].startswith("3:23: namn: ")
    assert len(lines) == 3


def test_privacy_check_stdin_clean(runner, world):
    result = runner.invoke(args=["privacy-check"], input="Testboendet Ett har bra rutiner.\n")
    assert result.exit_code == 0
    assert result.stdout == ""
    result = runner.invoke(args=["privacy-check", "-"], input="Ring 070-123 45 67\n")
    assert result.exit_code == 1 and result.stdout.startswith("1:6: telefon: ")


def test_privacy_check_word_file(runner, world, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Strukturell text.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "En 94-årig kvinna föll."
    path = tmp_path / "protokoll.docx"
    document.save(path)
    result = runner.invoke(args=["privacy-check", str(path)])
    assert result.exit_code == 1 and ": alder: " in result.stdout


def test_privacy_check_missing_file(runner, world, tmp_path):
    result = runner.invoke(args=["privacy-check", str(tmp_path / "saknas.txt")])
    assert result.exit_code != 0 and "Kunde inte läsa" in result.output
