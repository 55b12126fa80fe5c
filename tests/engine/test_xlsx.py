"""The streaming .xlsx writer: what openpyxl reads back, text that is not XML, and the limits."""
from __future__ import annotations

import io
import zipfile

import openpyxl

from engine import xlsx


def read(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


def test_values_come_back_as_written():
    rows = [[1, "县教育局", "=SUM(A1:A2)", None, "<b>&amp;</b>"], [2**40, "多行\n文本", "", "0123", "x" * 40_000]]
    back = read(b"".join(xlsx.stream("事件", ["序号", "部门", "公式", "空", "标记"], rows)))
    assert back[0] == ("序号", "部门", "公式", "空", "标记")
    assert back[1] == (1, "县教育局", "=SUM(A1:A2)", None, "<b>&amp;</b>")  # a formula stays text
    assert back[2][:4] == (2**40, "多行\n文本", None, "0123") and back[2][4] == "x" * xlsx.MAX_CELL


def test_characters_xml_cannot_hold_are_dropped():
    back = read(b"".join(xlsx.stream("s", ["a"], [["a\x00b\x1fc\ud800d\ufffe"]])))
    assert back[1] == ("abcd",)


def test_the_sheet_stops_before_a_zip_entry_would_need_zip64(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHEET_BYTES", 4 * 5_000)
    data = b"".join(xlsx.stream("s", ["n", "text"], ([n, "审计" * 100] for n in range(1000))))
    back = read(data)
    assert 10 < len(back) < 1000 and [r[0] for r in back[1:]] == list(range(len(back) - 1))
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
