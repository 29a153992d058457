import Hummingbird

/// Answers unknown routes the way Prometheus's Go server does (`404 page not found`), instead of an
/// empty body, so a mistyped URL tells the user what happened.
struct NotFoundMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return PlainText.response(.notFound, "404 page not found\n")
        }
    }
}
