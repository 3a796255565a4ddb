package dev.uring4j.runtime.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the certificate a TLS server presents by the host name the client asked for in its
 * server_name extension (SNI, RFC 6066), as nginx picks a {@code server} block: an entry for
 * exactly that name, else a {@code *.example.com} entry whose wildcard stands for the name's
 * first label, else the default. The same key manager serves a client certificate: the client
 * side offers the default.
 *
 * <p>JSSE asks once per key type the client accepts, in the client's order of preference ("EC",
 * "RSA", "RSASSA-PSS", "EdDSA": the key algorithm a signature scheme needs), and checks that the
 * key it gets back is of that type. An entry answers only for its own key type; when the name has
 * entries but none of this type, the answer is no alias, so that JSSE asks again with the client's
 * next type rather than present the default's certificate for a name it does not cover. A name
 * whose entries are of no type the client accepts fails the handshake.
 *
 * <p>Immutable; called on handshake threads only, so it allocates freely.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
    private static final String DEFAULT_ALIAS = "default";
    // Host aliases have a prefix of their own, so that no host name can be taken for the default.
    private static final String HOST_ALIAS_PREFIX = "sni:";

    private final Map<String, KeyMaterial> byAlias = new LinkedHashMap<>();

    /**
     * @param defaultMaterial what clients that send no host name, or one with no entry, get; and
     *                        what a client presents; {@code null}: those handshakes fail
     * @param byHostName      entries by host name (ASCII, as DNS spells them; case does not
     *                        matter), each a name or a wildcard over one label, {@code *.example.com}
     * @throws IllegalArgumentException if there is no material at all, a name is malformed, or two names differ only in case
     */
    public SniKeyManager(KeyMaterial defaultMaterial, Map<String, KeyMaterial> byHostName) {
        if (defaultMaterial != null) {
            byAlias.put(DEFAULT_ALIAS, defaultMaterial);
        }
        for (Map.Entry<String, KeyMaterial> entry : byHostName.entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.lastIndexOf('*') > 0 || (name.startsWith("*") && !name.startsWith("*.")) || name.equals("*.")) {
                throw new IllegalArgumentException("'" + entry.getKey() + "' is not a host name, nor a wildcard over its first label (*.example.com)");
            }
            if (byAlias.putIfAbsent(HOST_ALIAS_PREFIX + name, entry.getValue()) != null) {
                throw new IllegalArgumentException("two entries for the host name " + name + " (names are compared regardless of case)");
            }
        }
        if (byAlias.isEmpty()) {
            throw new IllegalArgumentException("no default and no host name entry: there is no certificate to present");
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return serverAlias(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return serverAlias(keyType, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
    }

    /**
     * The issuers a client names (its certificate_authorities extension, which few clients send)
     * are not consulted: with one entry per name and key type there is no other certificate to choose.
     */
    private String serverAlias(String keyType, SSLSession handshake) {
        String host = requestedHostName(handshake);
        if (host != null) {
            boolean named = false;
            for (String alias : hostAliases(host)) {
                KeyMaterial material = byAlias.get(alias);
                if (material != null) {
                    named = true;
                    if (material.keyType().equals(keyType)) {
                        return alias;
                    }
                }
            }
            if (named) {
                return null;
            }
        }
        return fits(DEFAULT_ALIAS, keyType) ? DEFAULT_ALIAS : null;
    }

    /** The aliases that may serve {@code host}, best first: its own entry, then the wildcard over its first label. */
    private static List<String> hostAliases(String host) {
        int dot = host.indexOf('.');
        return dot > 0 && dot < host.length() - 1
                ? List.of(HOST_ALIAS_PREFIX + host, HOST_ALIAS_PREFIX + "*" + host.substring(dot))
                : List.of(HOST_ALIAS_PREFIX + host);
    }

    /** The first host name of the client's server_name extension, lower case; {@code null} if it sent none. */
    private static String requestedHostName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    /** A client presents the default when the server accepts its key type; the issuers the server names are left to the server to check. */
    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return clientAlias(keyTypes);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return clientAlias(keyTypes);
    }

    private String clientAlias(String[] keyTypes) {
        return keyTypes != null && Arrays.stream(keyTypes).anyMatch(t -> fits(DEFAULT_ALIAS, t)) ? DEFAULT_ALIAS : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(DEFAULT_ALIAS, keyType) ? new String[] {DEFAULT_ALIAS} : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (String alias : byAlias.keySet()) {
            if (fits(alias, keyType)) {
                aliases.add(alias);
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
    }

    private boolean fits(String alias, String keyType) {
        KeyMaterial material = byAlias.get(alias);
        return material != null && material.keyType().equals(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        KeyMaterial material = byAlias.get(alias);
        return material == null ? null : material.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        KeyMaterial material = byAlias.get(alias);
        return material == null ? null : material.key();
    }
}
