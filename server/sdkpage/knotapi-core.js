// The body shared by knotapi.js and knotapi.mjs (see sdkpage.go, which
// wraps it). createKnotapiJS(sandboxBase) returns a class with knotapi-js's
// API: open() builds the same DOM, sends the same init message, maps the
// same messages to the same callbacks and posts the same analytics, but the
// iframe shows the sandbox's page (sandboxBase, ".../sdk/") and analytics go
// to the sandbox's /events.
function createKnotapiJS(sandboxBase) {
  const SDK_VERSION = "1.1.1"; // the knotapi-js release this script mirrors
  const ENVIRONMENTS = ["production", "sandbox", "development"];

  // knotapi-js's table from UI error codes to onError codes and texts.
  const ERRORS = {
    Session_Not_Found: { code: "INVALID_SESSION", message: "The session ID is invalid." },
    Session_Expired: { code: "EXPIRED_SESSION", message: "The session has expired." },
    Client_ID_Not_Found: { code: "INVALID_CLIENT_ID", message: "The client ID is invalid." },
    MERCHANT_ID_NOT_FOUND: { code: "MERCHANT_ID_NOT_FOUND", message: "Merchant ID is required in all SDKs." },
    INVALID_LOGO_ID: { code: "INVALID_LOGO_ID", message: "The logo ID is invalid." },
    INVALID_CUSTOMER_NAME: { code: "INVALID_CUSTOMER_NAME", message: "The customer name is invalid." },
    INVALID_CARD_NAME: { code: "INVALID_CARD_NAME", message: "The card name is invalid." },
  };

  const CSS = `#knotapi-iframe { height: 100%; width: 100%; border: none; background: transparent; }
#knotapi-iframe-holder { height: 100%; width: 100%; position: fixed; top: 0; left: 0; display: flex;
  justify-content: center; align-items: center; background: rgba(30, 30, 30, 0.66); }
#knotapi-loading { width: 64px; height: 64px; border-radius: 100%; border: 6px solid #e5e5e5;
  border-top-color: #006fd1; display: inline-block; animation: knotapi-rotation 0.75s infinite linear; }
@keyframes knotapi-rotation { from { transform: rotate(0deg); } to { transform: rotate(359deg); } }`;

  function toUpperSnakeCase(input) {
    return String(input)
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/[^a-zA-Z0-9]+/g, "_")
      .replace(/_{2,}/g, "_")
      .replace(/^_+|_+$/g, "")
      .toUpperCase();
  }

  function mapErrorDetails(code, message) {
    const known = ERRORS[code];
    return { code: known?.code ?? code, message: known?.message ?? message ?? "An unknown error occurred." };
  }

  function isMobileDevice() {
    const ua = navigator.userAgent || navigator.vendor || "";
    return [/Mobile/i, /Android/i, /webOS/i, /iPhone/i, /iPad/i, /iPod/i, /BlackBerry/i, /Windows Phone/i, /Opera Mini/i, /IEMobile/i]
      .some((re) => re.test(ua));
  }

  function injectStyle() {
    if (document.getElementById("knotapi-style")) return;
    const style = document.createElement("style");
    style.id = "knotapi-style";
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  const eventsURL = new URL("../events", sandboxBase).href;

  class KnotapiJS {
    constructor() {
      console.log("KnotapiJS loaded");
    }

    open = (config) => {
      if (!ENVIRONMENTS.includes(config.environment)) {
        console.error(`Unknown environment: ${config.environment}, cannot open`);
        return;
      }
      this.startKnotProduct(config, sandboxBase);
    };

    sendDataToIframe = (iframe, data) => {
      iframe.contentWindow.postMessage(data, new URL(iframe.src).origin);
    };

    post = (body) => fetch(eventsURL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

    callIdentifyUser = (config) => {
      this.post({ type: "identify", session_id: config.sessionId || null })
        .then((res) => res.json())
        .then(() => this.callTrackEvent("SDK Opened", config))
        .catch((err) => console.error("Error calling identify user:", err));
    };

    callTrackEvent = (name, config) => {
      this.post({
        type: "track",
        session_id: config.sessionId || null,
        event: {
          event: name,
          properties: {
            entry_point: config.entryPoint || null,
            search_enabled: config.useSearch || false,
            categories_enabled: config.useCategories || false,
            merchant_id: config.merchantIds && config.merchantIds.length > 0 ? config.merchantIds[0] : null,
          },
          context: { traits: { platform: "web", sdk_version: SDK_VERSION } },
        },
      }).catch((err) => console.error("Error tracking event:", err));
    };

    startKnotProduct(config, url) {
      injectStyle();
      let ready = false;
      const loading = document.createElement("span");
      loading.id = "knotapi-loading";
      const holder = document.createElement("div");
      holder.id = "knotapi-iframe-holder";
      if (config.mode === "headless") holder.style.backgroundColor = "transparent";
      const top = Array.from(document.querySelectorAll("body *"), (el) => parseFloat(getComputedStyle(el).zIndex))
        .reduce((max, z) => (Number.isNaN(z) ? max : Math.max(max, z)), 0);
      holder.style.zIndex = String(top + 1);
      const iframe = document.createElement("iframe");
      iframe.src = url;
      iframe.id = "knotapi-iframe";
      iframe.title = "Knotapi";
      iframe.allow = "clipboard-write";
      holder.append(iframe, loading);
      document.body.appendChild(holder);
      iframe.setAttribute("style", "display: none;");

      const show = () => {
        if (!ready) return;
        iframe.setAttribute("style", "display: block;");
        this.callIdentifyUser(config);
        loading.remove();
      };

      iframe.onload = () => {
        try {
          this.sendDataToIframe(iframe, {
            event: "init",
            payload: {
              platform: "Web", isMobileDevice: isMobileDevice(), SDK_Version: SDK_VERSION,
              sessionId: config.sessionId, clientId: config.clientId, merchantIds: config.merchantIds,
              environment: config.environment, useCategories: config.useCategories, useSearch: config.useSearch,
              entryPoint: config.entryPoint, mode: config.mode ?? "ui", slug: config.slug,
              customerName: config.customerName, cardName: config.cardName, logoId: config.logoId,
              authToken: config.authToken, locale: config.locale, metadata: config.metadata,
            },
          });
        } catch (err) {
          console.error(err);
        }
      };

      const onMessage = (e) => {
        if (e.source !== iframe.contentWindow || !e.data || typeof e.data !== "object") return;
        const props = e.data.eventProperties;
        switch (e.data.name) {
          case "loadingFinished":
            ready = true;
            show();
            break;
          case "close":
            this.callTrackEvent("SDK Closed", config);
            window.removeEventListener("message", onMessage);
            holder.remove();
            config.onExit?.(props);
            break;
          case "error": {
            ready = true;
            show();
            const mapped = mapErrorDetails(props?.errorCode || "UNKNOWN_ERROR", props?.message || "An unknown error occurred");
            config.onError?.({ errorCode: mapped.code, errorDescription: mapped.message });
            break;
          }
          case "success":
            if (props) config.onSuccess?.(props);
            break;
          case "event": {
            const metaData = props?.metaData || {};
            if (props?.sendCard != null) metaData.sendCard = props.sendCard;
            const ev = { metaData, event: toUpperSnakeCase(props.event) };
            if (props?.merchant != null) ev.merchant = props.merchant;
            if (props?.merchantId != null) ev.merchantId = props.merchantId;
            if (props?.taskId != null) ev.taskId = props.taskId;
            if (props?.sessionType != null) ev.product = props.sessionType;
            if (config.environment) ev.environment = config.environment;
            config.onEvent?.(ev);
            break;
          }
        }
      };
      window.addEventListener("message", onMessage);
    }
  }

  KnotapiJS.default = KnotapiJS;
  KnotapiJS.sandbox = sandboxBase;
  return KnotapiJS;
}
