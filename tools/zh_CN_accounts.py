"""Chinese for the accounts, groups and notifications pages (merged into tools/zh_CN.py's ZH)."""

ZH_ACCOUNTS = {
    "Accounts": "账号",
    "Groups": "用户组",
    "Group": "用户组",
    "All groups": "全部用户组",
    "Email": "电子邮箱",
    "Administrator": "管理员",
    "Auditor": "审计员",
    "Role": "角色",
    "Group name": "组名",
    "Description": "说明",
    "Active": "在用",
    "Inactive": "已停用",
    "All": "全部",
    "New account": "新建账号",
    "%(count)s accounts": "%(count)s 个账号",
    "User name, name or email": "用户名、姓名或邮箱",
    "Last sign-in": "最近登录",
    "none": "无",
    "temporary": "临时",
    "set": "已设置",
    "never": "从未登录",
    "This user name is taken.": "该用户名已被使用。",
    "There is no such group.": "没有这个用户组。",
    "An account is an administrator or an auditor, not both: an auditor may change nothing.":
        "管理员和审计员不能兼任：审计员不能更改任何内容。",
    "You cannot do this to your own account; another administrator can.":
        "不能对自己的账号这样做，请由另一位管理员操作。",
    "This is the last active administrator: make someone else an administrator first.":
        "这是最后一位在用的管理员，请先把另一个账号设为管理员。",
    "Change your own password under Password.": "请在“修改密码”中更改自己的密码。",
    "The account is inactive; activate it first.": "该账号已停用，请先恢复。",
    "Give a temporary password now": "现在给一个临时密码",
    "Account %(name)s created, without a password.": "已创建账号 %(name)s，未设密码。",
    "Say why the account is stopped.": "请说明停用的原因。",
    "%(name)s can no longer sign in.": "%(name)s 已不能登录。",
    "%(name)s may sign in again.": "%(name)s 可以重新登录。",
    "This group exists already.": "该用户组已存在。",
    "Group %(name)s created.": "已创建用户组 %(name)s。",
    "You signed in with a temporary password. Choose your own to go on.":
        "您使用的是临时密码，请先设置自己的密码再继续。",
    "This account is inactive: it cannot sign in, and its API tokens and deputy code do not work.":
        "该账号已停用：不能登录，其 API 令牌和代表码也不能使用。",
    "2 to 64 letters, digits or . _ - @; it cannot be changed later.":
        "2 到 64 个字母、数字或 . _ - @，保存后不能更改。",
    "Lanes of the processes name groups: a member of 评议办 does the office's tasks.":
        "流程的泳道以用户组命名：评议办的成员办理评议办的任务。",
    "Administrators change everything, including processes and accounts; auditors read everything and change "
    "nothing.": "管理员可以更改一切，包括流程和账号；审计员可以查看一切，但不能更改任何内容。",
    "Shown once after saving; its holder chooses their own password at the first sign-in. Without one, a deputy "
    "signs in with their deputy code.":
        "保存后只显示一次；持有人首次登录时须设置自己的密码。不设密码时，代表用代表码登录。",
    "This account has no password.": "该账号没有密码。",
    "This account has a temporary password not yet replaced by its holder.": "该账号的临时密码尚未被持有人更换。",
    "The holder chose their password.": "密码由持有人自己设置。",
    "A new temporary password signs the account out on every device.":
        "给新的临时密码后，该账号在所有设备上都会退出登录。",
    "Give a new temporary password": "给一个新的临时密码",
    "e.g. transferred, retired": "例如：调离、退休",
    "Stop this account": "停用此账号",
    "Its sessions, API tokens and deputy code stop at once; what it did stays in the history.":
        "其登录、API 令牌和代表码立即失效；其操作记录仍保留在历史中。",
    "Let this account sign in again": "恢复此账号",
    "Temporary password": "临时密码",
    "Account %(name)s created": "已创建账号 %(name)s",
    "New temporary password for %(name)s": "%(name)s 的新临时密码",
    "Hand this password to %(name)s in person or by phone. It is shown only now: it is stored hashed, and nobody "
    "can read it again.":
        "请当面或通过电话把这个密码交给%(name)s。密码只在此显示一次：系统只保存其哈希值，之后谁也无法再查看。",
    "At the first sign-in with it, %(name)s must choose their own password.":
        "%(name)s 用它首次登录时，须设置自己的密码。",
    "Back to the account": "返回账号",
    "Lanes of the processes name groups; a task of a lane is offered to the members of its group.":
        "流程的泳道以用户组命名；泳道中的任务交给该用户组的成员办理。",
    "Add group": "添加用户组",
    "Active members": "在用成员",
    "Choose a password other than the current one.": "请设置一个与当前密码不同的密码。",
    "Account changed": "修改账号",
    "Temporary password given": "重置为临时密码",
    "Notification sent": "发出提醒",
    "Notifications": "提醒",
    "Mark all as read": "全部标为已读",
    "unread": "未读",
    "No notifications. Reminders of deadlines and other messages from the processes appear here.":
        "没有提醒。任务到期提醒和流程发来的其他消息会显示在这里。",
    "API tokens": "API 令牌",
    "For a program that works through the JSON API (/api/v1) as this account, such as an office system sending tasks "
    "on. The token is shown once; revoke it when the program no longer needs it.":
        "供以此账号身份通过 JSON 接口（/api/v1）工作的程序使用，例如转办任务的办公系统。"
        "令牌只显示一次；程序不再需要时请吊销。",
    "made": "创建于",
    "last used": "最近使用",
    "never used": "从未使用",
    "revoked": "已吊销",
    "Revoke": "吊销",
    "What will use it": "使用方",
    "e.g. the office OA system": "例如：办公室 OA 系统",
    "Make a token": "生成令牌",
    "A stopped account gets no API token.": "已停用的账号不能生成 API 令牌。",
    "Give the token a name (what will use it).": "请为令牌填写名称（由哪个程序使用）。",
    "The token “%(name)s” no longer works.": "令牌“%(name)s”已吊销，不能再使用。",
    "Token “%(name)s” for %(user)s": "%(user)s 的令牌“%(name)s”",
    "Put this token into the program’s settings now. It is shown only now: it is stored hashed, and nobody can read "
    "it again.": "请现在把令牌填入程序的设置。令牌只显示这一次：系统只保存其摘要，任何人都无法再次读取。",
    "The program sends it with every request as the header %(header)s.": "程序在每个请求中以请求头 %(header)s 发送它。",
    "Signed out on every device": "在所有设备上退出",
    "Sign out on every device": "在所有设备上退出",
    "You are signed out on every device.": "您已在所有设备上退出。",
    "Left yourself signed in on a phone or a shared computer? This ends every session of yours, here too, and "
    "every “keep me signed in”.": "在手机或公用电脑上忘了退出？这将结束您的所有登录（包括本设备）和所有“保持登录”。",
    "%(name)s is signed out on every device.": "%(name)s 已在所有设备上退出。",
    "For a phone lost or a computer left signed in: the password stays.": "用于手机丢失或电脑未退出的情况，密码不变。",
    "An administrator (%(admin)s) gave your account an API token: “%(name)s”.":
        "管理员（%(admin)s）为您的账号生成了 API 令牌“%(name)s”。",
    "The password must not contain your user name.": "密码不能包含您的用户名。",
    "This password is too easy to guess (a common word, digits only, a date or a simple pattern such as 12345678 or "
    "qwerty). Please choose another.":
        "此密码太容易被猜到（常用词、纯数字、日期或 12345678、qwerty 之类的简单规律），请换一个。",
}
