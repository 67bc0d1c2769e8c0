package i18n

// zh holds the 简体中文 messages, one for every key of en (messages_en.go),
// with the same fmt verbs in the same order.
var zh = map[string]string{
	"lang.name": "简体中文",

	// internal/readme: the README-step pointer and the first screen.
	"readme.ref":          "%s 第 %d 步：%s",
	"readme.ref.untitled": "%s 第 %d 步",
	"readme.read":         "→ 请阅读 %s。",
	"readme.stuck":        "卡住了？运行 go run ./cmd/kata hint %s %d",
	"screen.ended":        "netkata：测试程序异常结束：%v",
	"screen.waits":        "，要等第 %d 步通过",
	"screen.step.waits":   "第 %d 步要等第 %d 步通过（%s）",
	"screen.shortened":    "（输出已精简：go test -run '^%s$' %s 可完整显示一个测试；%s=1 显示全部失败）",
	"screen.same.todo":    "（另有 %d 个子测试同样因桩代码返回 ErrTODO 而失败：%s）",
	"screen.more":         "（另有 %d 个子测试失败：%s）",
	"screen.list.more":    "… 另有 %d 个",

	// internal/todo
	"todo.err": "尚未实现（TODO）：请阅读本课的 README，补全这个桩函数（stub）",

	// internal/transcript
	"transcript.op.writedeadline": "设置写截止时间（deadline）",
	"transcript.op.readdeadline":  "设置读截止时间（deadline）",
	"transcript.op.send":          "发送 %s",
	"transcript.op.halfclose":     "半关闭（CloseWrite）",
	"transcript.nohalfclose":      "%s：%T 不支持半关闭",
	"transcript.what.line":        "一行数据",
	"transcript.what.bytes":       " %d 字节",
	"transcript.what.all":         "连接关闭（EOF）前的全部数据",
	"transcript.extra":            "%s：预期的回复之后还有多余的数据：%s（%s）",
	"transcript.stayedopen":       "%s 等了 %v，等对方关闭连接（EOF），连接却一直开着（%s）",
	"transcript.reset":            "%s：连接以 %s 结束",
	"transcript.waited.none":      "%s 等了 %v，想读%s，却什么也没收到",
	"transcript.waited.partial":   "%s 等了 %v，想读%s，却只收到 %s",
	"transcript.readerr":          "%s：读%s时出错：%s",
	"transcript.readerr.partial":  "；出错前只收到 %s",
	"transcript.ref":              "（%s）。",
	"transcript.want":             "期望",
	"transcript.got":              "实际",
	"transcript.hint":             "提示：%s",
	"transcript.failed":           "%s：%s失败：%s（%s）",
	"transcript.mismatch":         "%s 读到的%s与预期不同（%s）：",
	"transcript.heading":          "通信记录（C: 客户端，S: 服务器）：",
	"transcript.replay":           "手动重放 %s 这一端（连到你自己在该端口上运行的服务器）：",
	"transcript.diff.at":          "第一处不同在第 %d 字节（从 0 数起）",
	"transcript.diff.short":       "实际数据到此为止：还缺 %d 字节",
	"transcript.diff.extra":       "预期的回复之后还有多余的数据（%d 字节）",
	"transcript.empty":            "（双方都没有发送任何数据）",
	"transcript.earlier":          "（前面还有 %d 行，未显示）",
	"transcript.cut":              "...（还有 %d 字节）",

	// internal/sockerr: what a socket error usually means.
	"sockerr.unexpectedeof": "连接在一条消息的中途断了：对方过早地关闭了连接（或停止了写入）",
	"sockerr.eof":           "对方关闭了连接（EOF）：它在发出预期的数据之前就返回了，或者调用了 Close",
	"sockerr.refused.udp":   "连接被拒绝（connection refused）：先前发往该地址的数据报换回了一个 ICMP 端口不可达：那个 UDP 端口上没有程序在监听",
	"sockerr.refused":       "连接被拒绝（connection refused）：该地址上没有程序在监听。服务器启动了吗？监听的是交给它的那个地址吗？",
	"sockerr.reset":         "连接被重置（connection reset）：对方在还有数据未读时关闭了套接字，或者它的进程已经退出",
	"sockerr.pipe":          "管道已断开（broken pipe）：本端写入时，对方早已关闭了连接",
	"sockerr.inuse":         "地址已被占用（address already in use）：另一个套接字占着这个端口。监听 127.0.0.1:0 可以拿到一个空闲端口，或者先停掉旧的服务器",
	"sockerr.closed":        "使用了已关闭的连接：代码关闭套接字之后又用了它",
	"sockerr.timeout.udp":   "超时：截止时间前没有收到数据报。请求或回复丢了、根本没发出，或者发到了别的地址（UDP 从不重传，重传要由代码自己来做）",
	"sockerr.timeout.http":  "超时：HTTP 交互没有在截止时间前完成。可能是处理函数从不写响应、响应体比 Content-Length 短，或者请求体一直没人发送",
	"sockerr.timeout":       "超时：截止时间前什么也没收到，双方可能在互相等待（少了 \"\\n\"、少了 Flush，或者回复根本没发出）",

	// internal/loopback
	"loopback.noipv6":      "已跳过：本机无法在 IPv6 回环地址 %s 上监听：%v",
	"loopback.listen":      "在 %s %s 上监听失败：%s",
	"loopback.dial":        "连接（dial）%s %s 失败：%s",
	"loopback.waited":      "等了 %v，仍未等到：%s",
	"loopback.serve.early": "%s 在测试结束前就返回了，错误为：%v；它应当一直服务，直到它的 context 被取消",
	"loopback.serve.err":   "%s 在 context 取消后返回了 %v；应当返回 nil",
	"loopback.serve.stuck": "%s 在 context 取消 %v 后仍在运行；它应当返回",
}
