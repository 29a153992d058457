import Hummingbird

/// Plain-text responses, the shape Prometheus's management endpoints answer with.
enum PlainText {
    static func response(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
