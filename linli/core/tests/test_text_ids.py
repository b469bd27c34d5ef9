import datetime as dt
import zoneinfo

from linli.core import clock
from linli.core.ids import tracking_code
from linli.core.text import clean_text

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_clean_text_keeps_chinese_punctuation_and_makes_full_width_letters_ascii():
    raw = "  校门口，早上７点半堵车：（ＡＢ栋）\u3000请处理。\x07 "
    assert clean_text(raw) == "校门口，早上7点半堵车：（AB栋） 请处理。"


def test_clean_text_keeps_line_breaks_inside():
    assert clean_text("第一行\n第二行\t完") == "第一行\n第二行\t完"


def test_tracking_code_carries_the_local_date_of_the_replayed_clock():
    # 2025-03-01 23:30 in Shanghai is still 2025-03-01 there, though UTC says the same day 15:30
    with clock.at(dt.datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI)):
        code = tracking_code()
    assert code.startswith("LL250301") and len(code) == 14
    # 00:30 local on 2 March is 1 March in UTC: the code follows the local date
    with clock.at(dt.datetime(2025, 3, 2, 0, 30, tzinfo=SHANGHAI)):
        assert tracking_code().startswith("LL250302")
