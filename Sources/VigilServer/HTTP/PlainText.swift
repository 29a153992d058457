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

/// Reading request bodies with the server's size limit.
enum RequestBody {
    /// A body over the limit, answered 413 as Prometheus's receivers do.
    struct TooLarge: Error {
        let limit: Int
        var response: Response { PlainText.response(.contentTooLarge, "request body larger than \(limit) bytes\n") }
    }

    /// The whole body of `request`; throws ``TooLarge`` past `limit` bytes, and whatever reading
    /// the connection throws otherwise.
    static func collect(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw TooLarge(limit: limit)
        }
    }
}
