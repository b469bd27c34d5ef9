"""Typed errors of backup and restore, with stable codes."""

from linli.core.errors import ApplicationError


class BackupFailed(ApplicationError):
    code = "backup.failed"
    status = 500
    message_zh = "备份失败"
    message_en = "The backup failed"


class BackupUnreadable(ApplicationError):
    code = "backup.unreadable"
    status = 422
    message_zh = "备份文件无法读取，或不是邻里的备份"
    message_en = "The backup file cannot be read, or is not a Linli backup"


class BackupWrongDatabase(ApplicationError):
    code = "backup.wrong_database"
    status = 422
    message_zh = "备份来自另一种数据库，无法恢复到当前数据库"
    message_en = "The backup comes from another kind of database than the one configured"


class RestoreTargetNotEmpty(ApplicationError):
    code = "backup.target_not_empty"
    status = 409
    message_zh = "目标数据库不是空的：只能恢复到新建的空数据库"
    message_en = "The target database is not empty: restore only into a new, empty database"


class RestoreFailed(ApplicationError):
    code = "backup.restore_failed"
    status = 500
    message_zh = "恢复失败"
    message_en = "The restore failed"
