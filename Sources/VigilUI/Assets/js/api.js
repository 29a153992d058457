// JSON API client. Prometheus, Alertmanager v2 and Loki answer in different envelopes; these
// helpers unwrap them and throw APIError with the server's message, so a page shows the
// server's words (`errorBox(err)`). API:
//   getData(path, params?, {signal}?) -> data of a Prometheus/Loki envelope {status, data}
//   getEnvelope(path, params?, opts?) -> the whole {status, data, warnings, infos}
//   postForm(path, params, opts?) -> data, or the envelope with opts.envelope (POST form, for long queries)
//   getJSON(path, params?, opts?) -> parsed body (Alertmanager v2: no envelope)
//   sendJSON(method, path, body, opts?) -> parsed body or null
//   APIError: {message, status, errorType}
// params: an object or URLSearchParams; arrays become repeated parameters (match[]).

export class APIError extends Error {
  constructor(message, status, errorType) {
    super(message);
    this.name = 'APIError';
    this.status = status;
    this.errorType = errorType;
  }
}

export function query(params) {
  if (!params) return '';
  const search = params instanceof URLSearchParams ? params : new URLSearchParams();
  if (!(params instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) v.forEach((item) => search.append(k, String(item)));
      else search.append(k, String(v));
    }
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

async function decode(response) {
  const type = response.headers.get('content-type') || '';
  if (type.includes('json')) {
    try {
      return await response.json();
    } catch (e) {
      throw new APIError(`invalid JSON from ${response.url}: ${e.message}`, response.status);
    }
  }
  const body = await response.text();
  if (!response.ok) throw new APIError(body.trim() || `${response.status} ${response.statusText}`, response.status);
  return body;
}

async function request(path, init) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new APIError(`cannot reach Vigil: ${e.message}`, 0);
  }
  const body = await decode(response);
  if (body && typeof body === 'object' && body.status === 'error') {
    throw new APIError(body.error || 'error', response.status, body.errorType);
  }
  if (!response.ok) {
    const message = body && typeof body === 'object' ? (body.error || body.message || JSON.stringify(body)) : String(body);
    throw new APIError(message, response.status);
  }
  return body;
}

export async function getEnvelope(path, params, opts = {}) {
  return request(path + query(params), { signal: opts.signal, headers: { Accept: 'application/json' } });
}

export async function getData(path, params, opts = {}) {
  return (await getEnvelope(path, params, opts)).data;
}

export async function postForm(path, params, opts = {}) {
  const body = query(params).slice(1);
  const envelope = await request(path, {
    method: 'POST', signal: opts.signal, body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
  });
  return opts.envelope ? envelope : envelope.data;
}

export async function getJSON(path, params, opts = {}) {
  return request(path + query(params), { signal: opts.signal, headers: { Accept: 'application/json' } });
}

export async function sendJSON(method, path, body, opts = {}) {
  const result = await request(path, {
    method, signal: opts.signal, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  return result === '' ? null : result;
}
