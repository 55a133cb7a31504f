package authress

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// NormalizeBaseURL turns a configured API URL into the origin requests are sent to,
// following the rules of Authress's SDKs: "https://" is added when the scheme is
// missing and a trailing "/" is dropped. Plain http is only accepted for loopback
// hosts, so a key is never sent in clear text over a network.
func NormalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("the API URL is empty")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("the API URL is not a valid URL: %w", err)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return "", fmt.Errorf("the API URL uses http:// with host %q: only https:// is allowed, except for loopback hosts", u.Hostname())
		}
	default:
		return "", fmt.Errorf("the API URL has scheme %q: use https://", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", errors.New("the API URL has no host")
	}
	if u.User != nil {
		return "", errors.New("the API URL must not contain user information")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("the API URL must not contain a query or fragment")
	}
	if strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("the API URL must be an origin such as https://auth.example.com, without a path (got path %q)", u.Path)
	}
	return u.Scheme + "://" + u.Host, nil
}

// DefaultBaseURL is the API origin Authress gives every account.
func DefaultBaseURL(accountID string) string {
	return "https://" + accountID + ".api.authress.io"
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
