package dev.norma.runtime.node;

import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** The API's route, bound before the API itself exists (it needs the bound address): 503 until then. */
final class NodeApiRoute extends AllDirectives {
  private final Supplier<NodeApi> api;
  private volatile Route route;

  NodeApiRoute(Supplier<NodeApi> api) {
    this.api = api;
  }

  Route route() {
    return extractRequestContext(context -> {
      Route ready = route;
      if (ready == null) {
        NodeApi current = api.get();
        if (current == null) {
          return complete(StatusCodes.SERVICE_UNAVAILABLE, "starting");
        }
        ready = current.route();
        route = ready;
      }
      return ready;
    });
  }
}
