from linli.core.errors import Conflict


class DemoAlreadyLoaded(Conflict):
    code = "demo.already_loaded"
    message_zh = "数据库中已有演示数据，未重复加载；如需重建请使用 linli demo --reset（将清空整个数据库）"
    message_en = "The demo is already loaded; use `linli demo --reset` to wipe the database and load it again"
