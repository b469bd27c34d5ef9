from linli.core.errors import ValidationFailed


class UnknownCategory(ValidationFailed):
    code = "category.unknown"
    message_zh = "找不到该诉求分类"
    message_en = "No such category"


class BadCategoryFile(ValidationFailed):
    code = "category.bad_file"
    message_zh = "分类文件格式有误"
    message_en = "The category file is not valid"


class BadCrosswalkFile(ValidationFailed):
    code = "crosswalk.bad_file"
    message_zh = "分类对照文件格式有误"
    message_en = "The category crosswalk file is not valid"


class DispatchTrainingEmpty(ValidationFailed):
    code = "dispatch.training_empty"
    message_zh = "没有可用于训练的样本：请导入分类对照（linli crosswalk import）或等待办结的诉求"
    message_en = "Nothing to train on: import a category crosswalk (linli crosswalk import) or wait for finished demands"
