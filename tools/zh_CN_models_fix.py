"""Chinese for model and form checks: the problems Check, Deploy and upload report."""

ZH_MODELS_FIX: dict[str, str] = {
    # engine/problems.py: reading the files
    "DOCTYPE and ENTITY declarations are not allowed (XML entities are refused)":
        "不允许 DOCTYPE 和 ENTITY 声明（XML 实体一律拒绝）",
    "malformed XML at line %(line)s, column %(column)s: %(xml_error)s":
        "XML 格式错误（第 %(line)s 行第 %(column)s 列）：%(xml_error)s",
    "invalid XML: %(error)s": "XML 无效：%(error)s",
    "the diagram contains characters that are not valid text": "流程图含有不是有效文本的字符",
    "no BPMN file in the bundle": "文件包中没有 BPMN 文件",
    "the file defines no BPMN process": "该文件没有定义任何 BPMN 流程",
    "the file does not define the process '%(process)s'": "该文件没有定义流程“%(process)s”",
    "the process id '%(process)s' is not a plain name: use letters, digits, '_', '-' or '.', starting with a "
    "letter or '_' (at most 100 characters)":
        "流程标识“%(process)s”不是简单名称：只能用字母、数字、“_”、“-”或“.”，以字母或“_”开头（最多 100 个字符）",
    "no executable process (isExecutable=\"true\")": "没有可执行的流程（isExecutable=\"true\"）",
    "process '%(process)s' is not executable: set isExecutable=\"true\" to deploy it":
        "流程“%(process)s”不可执行：请设置 isExecutable=\"true\" 后再部署",
    # the BPMN and DMN schemas
    "the id '%(id)s' is given to more than one element; each element needs an id of its own":
        "标识“%(id)s”被多个元素使用；每个元素须有自己的标识",
    "%(tag)s: the attribute '%(attribute)s' is required but missing": "%(tag)s：缺少必需的属性“%(attribute)s”",
    "the element %(tag)s is not allowed here": "此处不允许出现元素 %(tag)s",
    "the file does not follow the BPMN or DMN schema: %(error)s": "文件不符合 BPMN 或 DMN 规范：%(error)s",
    # what SpiffWorkflow refuses
    "a sequence flow points to the unknown element '%(target)s'": "有一条连线指向不存在的元素“%(target)s”",
    "the process has no start event": "流程没有开始事件",
    "the called process '%(process)s' was not found": "找不到被调用的流程“%(process)s”",
    "the process engine refused this: %(error)s": "流程引擎不接受：%(error)s",
    "the file could not be read (%(kind)s: %(error)s)": "无法读取该文件（%(kind)s：%(error)s）",
    # scripts, conditions, expressions and templates
    "condition of the flow to '%(target)s': %(error)s": "通向“%(target)s”的连线条件：%(error)s",
    "script: %(error)s": "脚本：%(error)s",
    "pre-script: %(error)s": "前置脚本：%(error)s",
    "post-script: %(error)s": "后置脚本：%(error)s",
    "completion condition: %(error)s": "完成条件：%(error)s",
    "parameter '%(name)s' of the service task: %(error)s": "服务任务的参数“%(name)s”：%(error)s",
    "event expression: %(error)s": "事件表达式：%(error)s",
    "property %(property)s: %(error)s": "属性 %(property)s：%(error)s",
    "instructions: %(error)s": "办理说明：%(error)s",
    "title: %(error)s": "任务标题：%(error)s",
    "service task: %(problem)s": "服务任务：%(problem)s",
    "multi-instance task needs a collection or a cardinality": "多实例任务须指定集合或实例个数",
    # form files
    "form file '%(form)s' is not in the bundle": "表单文件“%(form)s”不在文件包中",
    "form file '%(form)s' is ambiguous: %(files)s": "表单文件“%(form)s”有多个同名文件：%(files)s",
    "form '%(form)s' is not UTF-8 text": "表单“%(form)s”不是 UTF-8 文本",
    "form '%(form)s' is not valid JSON at line %(line)s, column %(column)s: %(json_error)s":
        "表单“%(form)s”不是有效的 JSON（第 %(line)s 行第 %(column)s 列）：%(json_error)s",
    "form '%(form)s' must be a JSON object": "表单“%(form)s”必须是 JSON 对象",
    "form '%(form)s' nests too deeply": "表单“%(form)s”嵌套过深",
    # BPMN from other modelers (engine/foreign.py)
    "%(engine)s:%(name)s=\"%(value)s\" is not supported": "不支持 %(engine)s:%(name)s=\"%(value)s\"",
    "%(engine)s:%(name)s=\"%(value)s\" is not supported; %(hint)s":
        "不支持 %(engine)s:%(name)s=\"%(value)s\"；%(hint)s",
    "%(engine)s:%(name)s is not supported": "不支持 %(engine)s:%(name)s",
    "%(engine)s:%(name)s is not supported; %(hint)s": "不支持 %(engine)s:%(name)s；%(hint)s",
    "%(name)s: %(reason)s": "%(name)s：%(reason)s",
    "%(kind)s: a business rule task needs a DMN decision (spiffworkflow:calledDecisionId) and its DMN file in the "
    "bundle": "%(kind)s：业务规则任务须指定 DMN 决策（spiffworkflow:calledDecisionId），且其 DMN 文件在文件包中",
    "%(kind)s: a service task must call a Pingyi operation (spiffworkflow:serviceTaskOperator)":
        "%(kind)s：服务任务必须调用评议通的一项操作（spiffworkflow:serviceTaskOperator）",
    "%(kind)s: scripts are Python; scriptFormat '%(format)s' is not supported":
        "%(kind)s：脚本须用 Python 编写，不支持 scriptFormat“%(format)s”",
    "%(name)s: expression language '%(language)s' is not supported; write Python":
        "%(name)s：不支持表达式语言“%(language)s”，请用 Python 编写",
    "%(name)s '%(text)s' is a JUEL expression; write Python, e.g. approved == True":
        "%(name)s“%(text)s”是 JUEL 表达式，请用 Python 编写，例如 approved == True",
    "%(name)s '%(text)s' is a FEEL expression; write Python, e.g. approved == True":
        "%(name)s“%(text)s”是 FEEL 表达式，请用 Python 编写，例如 approved == True",
    "%(name)s '%(text)s': a literal date or duration needs quotes (\"%(text)s\"), timer expressions are Python":
        "%(name)s“%(text)s”：日期或时长须加引号（\"%(text)s\"），定时器表达式是 Python",
    # hints and reasons (engine/foreign.py)
    "name the form with the task property formJsonSchemaFilename": "请用任务属性 formJsonSchemaFilename 指定表单",
    "write the form as a JSON Schema file (formJsonSchemaFilename)":
        "请把表单写成 JSON Schema 文件（formJsonSchemaFilename）",
    "who may start a process is the start event's lane": "谁可以发起流程由开始事件所在的泳道决定",
    "use the task property dueAt": "请使用任务属性 dueAt",
    "a service task calls a Pingyi operation (spiffworkflow:serviceTaskOperator)":
        "服务任务调用评议通的一项操作（spiffworkflow:serviceTaskOperator）",
    "listeners are not run; use a script task": "监听器不会执行，请改用脚本任务",
    "data stores are not supported; keep data in the process data": "不支持数据存储，请把数据保存在流程数据中",
    "choreographies are not supported": "不支持编排（choreography）",
    "use the task property assignee": "请使用任务属性 assignee",
    "use a lane, or the task properties assignee and candidates": "请使用泳道，或任务属性 assignee 和 candidates",
    "use a lane, or the task property candidates": "请使用泳道，或任务属性 candidates",
    "use the task property candidates": "请使用任务属性 candidates",
    "use the task property priority": "请使用任务属性 priority",
    "name the DMN decision with spiffworkflow:calledDecisionId": "请用 spiffworkflow:calledDecisionId 指定 DMN 决策",
    "data mappings are not run; use a script task": "数据映射不会执行，请改用脚本任务",
    "a called process sees the caller's data; remove the mapping": "被调用的流程可以看到调用方的数据，请删除该映射",
    "a called process returns its data to the caller; remove the mapping":
        "被调用的流程会把数据交回调用方，请删除该映射",
    "complex gateways are not supported; use an exclusive, inclusive or parallel gateway":
        "不支持复杂网关，请使用排他、包容或并行网关",
    "conditional events are not supported; use a gateway condition or a message":
        "不支持条件事件，请使用网关条件或消息",
    "compensation events are not supported": "不支持补偿事件",
    "link events are not supported; draw the sequence flow": "不支持链接事件，请直接画出连线",
    # web: requests the editors cannot read
    "The request is nested too deeply to be read.": "请求嵌套过深，无法读取。",
    "%(what)s is not valid JSON at line %(line)s, column %(column)s: %(error)s":
        "%(what)s 不是有效的 JSON（第 %(line)s 行第 %(column)s 列）：%(error)s",
    # web/model_problems.py: where a form problem is
    "field '%(path)s': %(problem)s": "字段“%(path)s”：%(problem)s",
    "form: %(problem)s": "表单：%(problem)s",
    "UI schema: %(problem)s": "UI Schema：%(problem)s",
    # the forms package's problems
    "a form schema must be a JSON object": "表单定义必须是 JSON 对象",
    "a UI schema must be a JSON object": "UI Schema 必须是 JSON 对象",
    "the form's schema must have type 'object'": "表单定义的 type 必须是“object”",
    "unsupported keyword '%(key)s'": "不支持关键字“%(key)s”",
    "unsupported keyword '%(key)s' for type '%(type)s'": "类型“%(type)s”不支持关键字“%(key)s”",
    "only JSON Schema draft-07 (or draft-06, draft-04) is supported in '$schema'":
        "“$schema”只支持 JSON Schema draft-07（或 draft-06、draft-04）",
    "'properties' must be an object": "“properties”必须是对象",
    "'required' must be a list of field names": "“required”必须是字段名列表",
    "'required' names unknown field '%(name)s'": "“required”中的字段“%(name)s”不存在",
    "the UI schema names unknown field '%(name)s'": "UI Schema 中的字段“%(name)s”不存在",
    "the UI schema names unknown field '%(name)s' (use 'items' for the entries of an array)":
        "UI Schema 中的字段“%(name)s”不存在（数组的各项请写在“items”下）",
    "a condition tests unknown field '%(name)s'": "条件所判断的字段“%(name)s”不存在",
    "a condition requires unknown field '%(name)s'": "条件要求必填的字段“%(name)s”不存在",
    "depends on '%(first)s' and '%(second)s' in ways that cannot be combined (one condition per field)":
        "同时依赖“%(first)s”和“%(second)s”，两者无法合并（每个字段只能有一个条件）",
    "'ui:order' names unknown field '%(name)s'": "“ui:order”中的字段“%(name)s”不存在",
    "its UI schema entry must be an object": "它在 UI Schema 中的设置必须是对象",
    "its schema must be a JSON object": "它的定义必须是 JSON 对象",
    "'default' does not fit type '%(type)s'": "“default”与类型“%(type)s”不符",
    "widget '%(widget)s' does not fit type '%(type)s'": "控件“%(widget)s”不适用于类型“%(type)s”",
    "a list of types is supported only as [TYPE, \"null\"]": "类型列表只支持 [类型, \"null\"] 的写法",
    "missing 'type'": "缺少“type”",
    "unsupported type '%(type)s'": "不支持类型“%(type)s”",
    "'items' in the UI schema must be an object": "UI Schema 中的“items”必须是对象",
    "an array needs 'items' as one schema": "数组须以“items”给出一个定义",
    "arrays of arrays are not supported": "不支持数组的数组",
    "widget '%(widget)s' needs choices in 'items' (enum, oneOf or anyOf)":
        "控件“%(widget)s”需要在“items”中给出选项（enum、oneOf 或 anyOf）",
    "widget '%(widget)s' needs 'items' of type 'string' without choices":
        "控件“%(widget)s”需要类型为“string”且没有选项的“items”",
    "widget '%(widget)s' needs choices (enum, oneOf or anyOf)": "控件“%(widget)s”需要选项（enum、oneOf 或 anyOf）",
    "widget '%(widget)s' cannot offer the choices of 'enum'/'oneOf'/'anyOf' (use select or radio)":
        "控件“%(widget)s”不能提供“enum”/“oneOf”/“anyOf”的选项（请使用 select 或 radio）",
    "a rating needs integer 'minimum' (default 1) and 'maximum' (default 5) within 0..10":
        "评分需要 0 到 10 之间的整数“minimum”（默认 1）和“maximum”（默认 5）",
    "'ui:options' key '%(key)s' does not apply to widget '%(widget)s'":
        "“ui:options”的“%(key)s”不适用于控件“%(widget)s”",
    "a file field holding several attachments must be of type 'array' (and only then)":
        "可上传多个附件的字段类型必须是“array”（反之亦然）",
    "not a valid JSON Schema: %(error)s": "不是有效的 JSON Schema：%(error)s",
    "not a valid JSON Schema: %(error)s (at %(at)s)": "不是有效的 JSON Schema：%(error)s（位置：%(at)s）",
    "field names must be plain identifiers (letters, digits, '_') not starting with '_'":
        "字段名只能由字母、数字和“_”组成，且不能以“_”开头",
    "field name '%(name)s' is reserved": "字段名“%(name)s”是保留字",
    "unsupported UI keyword '%(key)s'": "不支持 UI 关键字“%(key)s”",
    "'%(key)s' must be a %(type_name)s": "“%(key)s”必须是%(type_name)s",
    "unsupported widget '%(widget)s'": "不支持控件“%(widget)s”",
    "'ui:order' must list field names": "“ui:order”必须列出字段名",
    "unsupported 'ui:options' key '%(key)s'": "“ui:options”不支持“%(key)s”",
    "'ui:options' key '%(key)s' must be a %(type_name)s": "“ui:options”的“%(key)s”必须是%(type_name)s",
    "'multipleOf' must be greater than 0": "“multipleOf”必须大于 0",
    "'pattern' is not a valid regular expression: %(error)s": "“pattern”不是有效的正则表达式：%(error)s",
    "unsupported format '%(format)s'": "不支持格式“%(format)s”",
    "'%(key)s' must be true or false": "“%(key)s”必须是 true 或 false",
    "use only one of 'enum', 'oneOf' and 'anyOf' (found %(found)s)":
        "“enum”“oneOf”“anyOf”只能用其中一个（现有 %(found)s）",
    "'enumNames' needs 'enum'": "“enumNames”需要配合“enum”使用",
    "'%(key)s' must be a non-empty list": "“%(key)s”必须是非空列表",
    "'options_from_task_data_var:' must name a task data variable": "“options_from_task_data_var:”后须写任务数据变量名",
    "each entry of '%(key)s' must be an object with 'const' (or a one-value 'enum') and a 'title'":
        "“%(key)s”的每一项都必须是含“const”（或只有一个值的“enum”）和“title”的对象",
    "unsupported keyword '%(key)s' in a '%(list)s' entry": "“%(list)s”的选项中不支持关键字“%(key)s”",
    "'enumNames' must list one title per 'enum' value": "“enumNames”须为“enum”的每个值列出一个名称",
    "the dependency on '%(name)s'": "对“%(name)s”的依赖",
    "'dependencies' must be an object": "“dependencies”必须是对象",
    "'allOf' is supported only as a list of if/then/else conditions": "“allOf”只支持由 if/then/else 条件组成的列表",
    "the dependency on '%(name)s' must be a list of names or a schema": "对“%(name)s”的依赖必须是字段名列表或一个定义",
    "unsupported keyword '%(key)s' in %(where)s": "%(where)s中不支持关键字“%(key)s”",
    "'oneOf' in the dependency on '%(name)s' must be a list": "对“%(name)s”的依赖中，“oneOf”必须是列表",
    "each 'oneOf' alternative of the dependency on '%(name)s' must give '%(name)s' an enum or const":
        "对“%(name)s”的依赖中，“oneOf”的每个分支都必须用 enum 或 const 给出“%(name)s”的值",
    "'then' and 'else' need an 'if'": "“then”和“else”需要配合“if”使用",
    "'if' must test exactly one sibling field with 'const' or 'enum'": "“if”必须用“const”或“enum”判断恰好一个同级字段",
    "'if' must test '%(name)s' with 'const' or 'enum'": "“if”必须用“const”或“enum”判断“%(name)s”",
    "%(where)s must be a schema": "%(where)s必须是一个定义（schema）",
    "%(where)s must have 'properties' as an object and 'required' as a list of names":
        "%(where)s的“properties”必须是对象，“required”必须是字段名列表",
    "the form nests more than %(levels)s levels deep": "表单嵌套超过 %(levels)s 层",
    "must be a JSON object": "必须是 JSON 对象",
    "string": "文本", "list": "列表", "object": "对象", "integer": "整数", "number": "数字",
    "boolean (true or false)": "布尔值（true 或 false）", "non-negative integer": "非负整数",
    "list or string": "列表或文本",
    # engine/connectors.py
    "unknown service operation '%(name)s' (known: %(known)s)": "未知的服务操作“%(name)s”（可用：%(known)s）",
    "operation '%(name)s' needs the parameter(s) %(params)s": "操作“%(name)s”缺少参数 %(params)s",
    "operation '%(name)s' has no parameter(s) %(params)s": "操作“%(name)s”没有参数 %(params)s",
    # the XML parser
    "Document is empty": "文档为空",
    "Start tag expected, '<' not found": "应为开始标签，但找不到“<”",
    "Extra content at the end of the document": "文档末尾有多余内容",
    "Opening and ending tag mismatch: %(open)s line %(open_line)s and %(close)s":
        "开始标签 %(open)s（第 %(open_line)s 行）与结束标签 %(close)s 不匹配",
    "Premature end of data in tag %(tag)s line %(tag_line)s":
        "标签 %(tag)s（第 %(tag_line)s 行）尚未结束，文件就结束了",
    "Couldn't find end of Start Tag %(tag)s line %(tag_line)s": "找不到开始标签 %(tag)s（第 %(tag_line)s 行）的结尾",
    "StartTag: invalid element name": "开始标签中的元素名无效",
    "expected '>'": "应为“>”",
    "attributes construct error": "属性写法错误",
    "AttValue: \" or ' expected": "属性值应以 \" 或 ' 开头",
    "Attribute %(name)s redefined": "属性 %(name)s 重复定义",
    "Specification mandates value for attribute %(name)s": "属性 %(name)s 必须有值",
    "Unescaped '<' not allowed in attributes values": "属性值中不允许出现未转义的“<”",
    "Entity '%(name)s' not defined": "实体“%(name)s”未定义",
    "xmlParseEntityRef: no name": "“&”后缺少实体名（“&”请写作“&amp;”）",
    # the JSON parser
    "Expecting value": "此处应有一个值",
    "Expecting property name enclosed in double quotes": "此处应有带双引号的属性名",
    "Expecting ':' delimiter": "此处应有“:”",
    "Expecting ',' delimiter": "此处应有“,”",
    "Unterminated string starting at": "字符串没有结束",
    "Invalid control character at": "含有无效的控制字符",
    "Invalid \\escape": "无效的转义符",
    "Invalid \\uXXXX escape": "无效的 \\uXXXX 转义",
    "Extra data": "末尾有多余内容",
    "Deploying it also gives new versions to: %(processes)s.": "部署时也会为以下流程生成新版本：%(processes)s。",
    "This form is also used by other processes; deploying a change to it gives each of them a new version too:":
        "其他流程也使用此表单；部署修改后，这些流程也都会生成新版本：",
    "The changed forms are also used by other processes, which got new versions: %(versions)s.":
        "修改的表单也被其他流程使用，它们已生成新版本：%(versions)s。",
    "%(process)s version %(n)s": "%(process)s 第 %(n)s 版",
    "this is not Python: write the candidates in quotes, e.g. 'group:评议办', or a list such as "
    "['user:zhangwei', 'group:评议办']":
        "这不是有效的写法：候选人须加引号，例如 'group:评议办'，或写成列表 ['user:zhangwei', 'group:评议办']",
    "this is not Python: write a date in quotes ('2026-12-01') or an expression such as add_days(plan_due, 30)":
        "这不是有效的写法：日期须加引号（'2026-12-01'），或写成表达式，例如 add_days(plan_due, 30)",
    "a comparison is written with ==, e.g. decision == 'pass'": "比较须用 ==，例如 decision == 'pass'",
    "this is not valid Python: check the quotes, brackets and operators":
        "这不是有效的 Python 写法，请检查引号、括号和运算符",
    "%(hint)s (you wrote: %(text)s)": "%(hint)s（现在写的是：%(text)s）",
    "the template is not finished: every {{ needs its }} and every {%% if %%} or {%% for %%} its {%% endif %%} or "
    "{%% endfor %%}":
        "模板没有写完整：每个 {{ 都要有对应的 }}，"
        "每个 {%% if %%} 或 {%% for %%} 都要有对应的 {%% endif %%} 或 {%% endfor %%}",
    "unexpected '%(char)s': a value is written as {{ name }}, a tag as {%% if … %%}":
        "此处不应出现“%(char)s”：取值写作 {{ 名称 }}，标签写作 {%% if … %%}",
    "the template cannot be read (%(error)s)": "模板写法有误（%(error)s）",
    "The id must start with a letter and use only letters, digits, '_', '-' and '.' (it appears in addresses), e.g. "
    "dept_survey.": "标识须以字母开头，只用字母、数字、“_”“-”和“.”（它会出现在网址中），例如 dept_survey。",
    "A process with this id already exists: choose another id, or edit that one.":
        "已有使用此标识的流程：请换一个标识，或直接编辑那个流程。",
    "Give the process a name of at most 100 characters (users see it).":
        "请为流程起一个不超过 100 字的名称（用户会看到它）。",
    "New process": "新建流程",
    "Name (users see it)": "名称（用户可见）",
    "e.g. 专项调研": "例如：专项调研",
    "Id (letters, digits, _; in addresses)": "标识（字母、数字、_，用于网址）",
    "Create and draw": "新建并绘制",
    "Process name (users see it: start page, inbox, instances)": "流程名称（用户在发起页、待办和进展中看到）",
}
