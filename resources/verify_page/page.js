/* DTBD Desktop: the verification page's check, in the browser, with no network.
 *
 * The QR code on a document links here with its signed text after "#":
 *   DTBD1:PAYLOAD:KEYID:SIGNATURE   (upper-case base32, no padding)
 * PAYLOAD is UTF-8 "serial|full name|birth date|issue date (YYYY-MM-DD)|classification[|course]",
 * signed with Ed25519 by one of the centre's keys (page-data.keys). The signature is checked with
 * WebCrypto's Ed25519 where the browser has it, else with TweetNaCl (inlined above this script).
 * The verdict is written on #result as data-verdict:
 *   genuine | forged | revoked | replaced | damaged, and while there is none:
 *   pending (checking) | empty (no code) | unsupported (this browser cannot check signatures).
 * data-engine names what checked the signature: webcrypto or tweetnacl. Adding ?engine=tweetnacl
 * to the address makes the page use TweetNaCl even where WebCrypto could (the tests do).
 * Written in ES5 with Promises, so that old phones run it too.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("page-data").textContent);
  var PREFIX = "DTBD1";
  var B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var SHORT_CODE = /^[0-9A-HJKMNP-TV-Z]{5}-?[0-9A-HJKMNP-TV-Z]{5}$/;
  var result = document.getElementById("result");
  var runCount = 0;

  function byId(id) { return document.getElementById(id); }

  // ------------------------------------------------------------------ text

  function formatIso(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : (iso || "");
  }

  function b32decode(text) {
    // Strict: only the alphabet, and only the canonical spelling (unused trailing bits zero).
    if (!/^[A-Z2-7]*$/.test(text) || [1, 3, 6].indexOf(text.length % 8) >= 0) { return null; }
    var out = [], buffer = 0, bits = 0, i;
    for (i = 0; i < text.length; i++) {
      buffer = (buffer << 5) | B32.indexOf(text.charAt(i));
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.push((buffer >> bits) & 255);
      }
      buffer &= (1 << bits) - 1;
    }
    if (buffer !== 0) { return null; }
    return new Uint8Array(out);
  }

  function utf8(bytes) {
    try {
      if (typeof TextDecoder !== "undefined") {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      }
      var binary = "";
      for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
      return decodeURIComponent(escape(binary));
    } catch (e) {
      return null;
    }
  }

  function nfc(value) { return value && value.normalize ? value.normalize("NFC") : value; }

  /** The DTBD1 text of what was scanned: itself, or the fragment of a link to this page. */
  function signedPart(value) {
    value = (value || "").replace(/^\s+|\s+$/g, "");
    var hash = value.lastIndexOf("#");
    if (hash >= 0) { value = value.slice(hash + 1); }
    try { value = decodeURIComponent(value); } catch (e) { /* keep it as it is */ }
    return value.replace(/\s+/g, "").toUpperCase();
  }

  function parse(value) {
    var text = signedPart(value);
    if (!text) { return { state: "empty" }; }
    if (SHORT_CODE.test(text)) { return { state: "damaged", why: "short" }; }
    var parts = text.split(":");
    if (parts[0] !== PREFIX) { return { state: "damaged", why: "foreign" }; }
    if (parts.length !== 4) { return { state: "damaged", why: "parts" }; }
    var payloadBytes = b32decode(parts[1]);
    var signature = b32decode(parts[3]);
    if (!payloadBytes || !payloadBytes.length || !signature || signature.length !== 64 ||
        !/^[0-9A-F]{6}$/.test(parts[2])) {
      return { state: "damaged", why: "encoding" };
    }
    var payload = utf8(payloadBytes);
    if (payload === null) { return { state: "damaged", why: "encoding" }; }
    return { state: "read", payload: payload, payloadBytes: payloadBytes, keyId: parts[2], signature: signature,
             fields: payload.split("|") };
  }

  // ------------------------------------------------------------------ signatures

  function wantedEngine() {
    var m = /[?&]engine=([a-z]+)/.exec(window.location.search || "");
    return m ? m[1] : "auto";
  }

  function verifyNacl(publicKey, signature, message) {
    if (!window.nacl || !window.nacl.sign || !window.nacl.sign.detached) {
      return Promise.reject(new Error("unsupported"));
    }
    try {
      return Promise.resolve({ ok: window.nacl.sign.detached.verify(message, signature, publicKey),
                               engine: "tweetnacl" });
    } catch (e) {
      return Promise.resolve({ ok: false, engine: "tweetnacl" });
    }
  }

  function verifyOne(publicKey, signature, message) {
    var subtle = window.crypto && window.crypto.subtle;
    if (wantedEngine() === "tweetnacl" || !subtle) {
      return verifyNacl(publicKey, signature, message);
    }
    var algorithm = { name: "Ed25519" };
    return Promise.resolve()
      .then(function () { return subtle.importKey("raw", publicKey, algorithm, false, ["verify"]); })
      .then(function (key) {
        return subtle.verify(algorithm, key, signature, message).then(function (ok) {
          return { ok: ok, engine: "webcrypto" };
        });
      }, function () {
        return verifyNacl(publicKey, signature, message);  // no Ed25519 in this browser's WebCrypto
      });
  }

  /** Resolves to {ok, engine}: whether one of the centre's keys with this id made the signature. */
  function verifySignature(read) {
    var candidates = [];
    for (var i = 0; i < DATA.keys.length; i++) {
      if (DATA.keys[i].id === read.keyId) { candidates.push(b32decode(DATA.keys[i].key)); }
    }
    var chain = Promise.resolve({ ok: false, engine: "" });
    candidates.forEach(function (publicKey) {
      chain = chain.then(function (previous) {
        return previous.ok ? previous : verifyOne(publicKey, read.signature, read.payloadBytes);
      });
    });
    return chain;
  }

  function revocation(serial, issued) {
    for (var i = 0; i < DATA.revoked.length; i++) {
      var r = DATA.revoked[i];
      if (nfc(r.serial) === nfc(serial) && r.issued === issued) { return r; }
    }
    return null;
  }

  // ------------------------------------------------------------------ showing

  var MARKS = { genuine: "✓", forged: "✕", revoked: "!", replaced: "!", damaged: "?", empty: "…",
                unsupported: "?", pending: "…" };

  function show(verdict, title, message, engine) {
    result.setAttribute("data-verdict", verdict);
    result.setAttribute("data-engine", engine || "");
    byId("verdict-mark").textContent = MARKS[verdict] || "";
    byId("verdict-title").textContent = title;
    byId("verdict-text").textContent = message;
  }

  function setDetail(id, value, missing) {
    var dd = byId(id);
    dd.textContent = value || missing || "—";
    dd.className = value ? "" : "missing";
  }

  function showDetails(fields, caption, confirmed) {
    var list = byId("details");
    var cap = byId("details-caption");
    if (!fields) {
      list.hidden = true;
      cap.hidden = true;
      return;
    }
    setDetail("d-name", fields[1]);
    setDetail("d-birth", fields[2]);
    setDetail("d-course", fields.length > 5 ? fields[5] : "",
              "(mã QR của văn bằng cấp trước khi có trang xác thực không ghi khóa học)");
    setDetail("d-result", fields[4]);
    setDetail("d-serial", fields[0]);
    setDetail("d-issued", formatIso(fields[3]));
    setDetail("d-centre", confirmed ? DATA.centre : "", "(không xác nhận được)");
    cap.textContent = caption;
    cap.hidden = false;
    list.className = confirmed ? "" : "unconfirmed";
    list.hidden = false;
  }

  var DAMAGED = {
    "short": "Đây là mã xác thực ngắn in trên văn bằng; trang này chỉ kiểm tra nội dung mã QR. Mã ngắn được " +
             "kiểm tra tại đơn vị cấp.",
    "foreign": "Nội dung này không phải mã QR văn bằng của đơn vị (phải bắt đầu bằng DTBD1:).",
    "parts": "Mã QR bị thiếu hoặc thừa phần (có thể bị cắt khi sao chép). Hãy quét lại mã trên văn bằng gốc.",
    "encoding": "Mã QR có ký tự sai hoặc bị cắt cụt nên không đọc được. Hãy quét lại mã trên văn bằng gốc, " +
                "cầm máy cho thẳng và đủ sáng."
  };

  function check(value) {
    var run = ++runCount;
    var read = parse(value);
    if (read.state === "empty") {
      showDetails(null);
      show("empty", "Chưa có mã để kiểm tra",
           "Quét mã QR trên văn bằng bằng camera điện thoại, hoặc dán nội dung mã vào ô “Kiểm tra bằng nội dung mã QR” dưới đây.");
      return Promise.resolve();
    }
    if (read.state === "damaged") {
      showDetails(null);
      show("damaged", "Mã QR bị hỏng, không đọc được", DAMAGED[read.why]);
      return Promise.resolve();
    }
    showDetails(null);
    show("pending", "Đang kiểm tra…", "Đang kiểm tra chữ ký số.");
    return verifySignature(read).then(function (verified) {
      if (run !== runCount) { return; }  // a newer check started meanwhile
      var f = read.fields;
      var listDate = formatIso(DATA.made_on);
      if (!verified.ok) {
        var known = DATA.keys.some(function (k) { return k.id === read.keyId; });
        showDetails(f, "Nội dung ghi trong mã – KHÔNG được xác nhận:", false);
        show("forged", "KHÔNG HỢP LỆ: chữ ký số không đúng",
             (known ? "Nội dung mã đã bị sửa sau khi ký" : "Mã không được ký bằng khóa nào của đơn vị") +
             ". Văn bằng mang mã này không phải do " + DATA.centre + " cấp, hoặc đã bị sửa. Không công nhận văn " +
             "bằng này; hãy báo cho đơn vị.", verified.engine);
        return;
      }
      var revoked = revocation(f[0], f[3]);
      showDetails(f, "Nội dung văn bằng (đã xác nhận đúng chữ ký):", true);
      if (revoked && revoked.status === "replaced") {
        show("replaced", "ĐÃ ĐƯỢC CẤP LẠI: bản này không còn giá trị",
             "Chữ ký số đúng, nhưng văn bằng này đã được thay bằng văn bằng số hiệu " + (revoked.by || "?") +
             (revoked.by_issued ? " cấp ngày " + formatIso(revoked.by_issued) : "") +
             " (theo danh sách thu hồi lập ngày " + listDate + "). Chỉ văn bằng mới có giá trị.", verified.engine);
      } else if (revoked) {
        show("revoked", "ĐÃ BỊ THU HỒI: không còn giá trị",
             "Chữ ký số đúng, nhưng " + DATA.centre + " đã thu hồi văn bằng này (theo danh sách thu hồi lập ngày " +
             listDate + ").", verified.engine);
      } else {
        show("genuine", "HỢP LỆ: văn bằng do đơn vị cấp",
             "Chữ ký số đúng: nội dung dưới đây do " + DATA.centre + " cấp và chưa bị sửa. Văn bằng không có " +
             "trong danh sách thu hồi lập ngày " + listDate + ".", verified.engine);
      }
    }, function () {
      if (run !== runCount) { return; }
      showDetails(null);
      show("unsupported", "Trình duyệt này không kiểm tra được chữ ký số",
           "Hãy mở trang bằng một trình duyệt khác (Chrome, Safari, Firefox, Edge bản mới), hoặc hỏi đơn vị cấp.");
    });
  }

  // ------------------------------------------------------------------ the list's age

  function showListAge() {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(DATA.made_on);
    if (!m) { return; }
    var made = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    var now = new Date();
    var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    var days = Math.round((today - made) / 86400000);
    var age = days <= 0 ? " (hôm nay)" : " (cách đây " + days + " ngày)";
    byId("list-age").textContent = age;
    if (days > 90) { byId("list-date").className = "old"; }
  }

  // ------------------------------------------------------------------ wiring

  byId("check-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = byId("code").value;
    check(value).then(function () { result.scrollIntoView && result.scrollIntoView(); });
  });
  window.addEventListener("hashchange", function () { check(window.location.hash); });
  showListAge();
  check(window.location.hash);
})();
