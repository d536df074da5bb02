package server_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

const shopMerchant = 45 // Walmart

var (
	shopOngoing = errBody("MERCHANT_ACCOUNT_ERROR", "ONGOING_OPERATION",
		"Cannot perform multiple operations on the same merchant account simultaneously.")
	shopCartNotFound = errBody("CART_ERROR", "CART_NOT_FOUND",
		"No cart was found for this merchant account. Sync a cart first.")
	shopFulfillmentNotFound = errBody("CART_ERROR", "FULFILLMENT_NOT_FOUND", "The selected fulfillment id is invalid.")
)

// shopLink links a Shopping account (dev link with neither flag).
func shopLink(t *testing.T, srv *servertest.Server, rec *servertest.Recorder, user string) {
	t.Helper()
	csLink(t, srv, rec, user, shopMerchant, "")
}

// shopCart is a Sync Cart body; fulfillment is an option id or "".
func shopCart(user, fulfillment, extra string) string {
	product := `{"external_id":"3324893784"}`
	if fulfillment != "" {
		product = `{"external_id":"3324893784","fulfillment":{"id":"` + fulfillment + `"}}`
	}
	return `{"external_user_id":"` + user + `","merchant_id":45,"products":[` + product + `]` + extra + `}`
}

func shopCheckout(user, extra string) string {
	return `{"external_user_id":"` + user + `","merchant_id":45` + extra + `}`
}

type shopSynced struct {
	Timestamp any `json:"timestamp"`
	Data      struct {
		Cart struct {
			Products []struct {
				ExternalID  string `json:"external_id"`
				Fulfillment struct {
					ID      string `json:"id"`
					Options []struct {
						ID string `json:"id"`
					} `json:"options"`
				} `json:"fulfillment"`
			} `json:"products"`
			DeliveryLocation *struct {
				Address struct {
					City string `json:"city"`
				} `json:"address"`
				FirstName string `json:"first_name"`
			} `json:"delivery_location"`
			Price struct {
				Total string `json:"total"`
			} `json:"price"`
		} `json:"cart"`
		Transactions []struct {
			ID string `json:"id"`
		} `json:"transactions"`
		Reason string `json:"reason"`
	} `json:"data"`
}

func shopEvent(t *testing.T, rec *servertest.Recorder, name, user string, n int) shopSynced {
	t.Helper()
	b, _ := json.Marshal(csWaitEvent(t, rec, name, user, n))
	var v shopSynced
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

const shopDelivery = `,"delivery_location":{"address":{"line1":"123 Main St","line2":"Floor 4","city":"Los Angeles","region":"CA","postal_code":"94105","country":"US"},"first_name":"Ada","last_name":"Lovelace","phone_number":"+11234567890","set_as_default":true}`

func TestShoppingFlow(t *testing.T) {
	srv, rec := csServer(t)
	shopLink(t, srv, rec, "ada")
	csPost(t, srv, "/cart", shopCart("ada", "", shopDelivery), 202, csSuccess)
	first := shopEvent(t, rec, "SYNC_CART_SUCCEEDED", "ada", 1)
	if ts, ok := first.Timestamp.(string); !ok || ts == "" {
		t.Fatalf("SYNC_CART_SUCCEEDED timestamp %#v, want a string", first.Timestamp)
	}
	products := first.Data.Cart.Products
	if len(products) != 1 || products[0].ExternalID != "3324893784" || len(products[0].Fulfillment.Options) < 2 {
		t.Fatalf("cart %+v", first.Data.Cart)
	}
	if dl := first.Data.Cart.DeliveryLocation; dl == nil || dl.Address.City != "Los Angeles" || dl.FirstName != "Ada" {
		t.Fatalf("delivery_location %+v", dl)
	}
	// Re-sync choosing another option; the delivery location stays.
	other := products[0].Fulfillment.Options[1].ID
	if other == products[0].Fulfillment.ID {
		t.Fatalf("options[1] is the selected one: %+v", products[0].Fulfillment)
	}
	csPost(t, srv, "/cart", shopCart("ada", other, ""), 202, csSuccess)
	second := shopEvent(t, rec, "SYNC_CART_SUCCEEDED", "ada", 2)
	if p := second.Data.Cart.Products; len(p) != 1 || p[0].Fulfillment.ID != other {
		t.Fatalf("re-sync did not select %s: %+v", other, p)
	}
	if dl := second.Data.Cart.DeliveryLocation; dl == nil || dl.Address.City != "Los Angeles" {
		t.Fatalf("delivery_location lost: %+v", dl)
	}
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 202, csSuccess)
	done := shopEvent(t, rec, "CHECKOUT_SUCCEEDED", "ada", 1)
	if len(done.Data.Transactions) == 0 {
		t.Fatal("CHECKOUT_SUCCEEDED without transactions")
	}
	for _, tx := range done.Data.Transactions {
		r := srv.Get(t, "/transactions/"+tx.ID)
		var got struct {
			ID string `json:"id"`
		}
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &got) != nil || got.ID != tx.ID {
			t.Fatalf("GET /transactions/%s: %d %.300s", tx.ID, r.Status, r.Body)
		}
	}
	// The cart was used up.
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 400, shopCartNotFound)
	if names := strings.Join(rec.Names(), ","); names != "AUTHENTICATED,SYNC_CART_SUCCEEDED,SYNC_CART_SUCCEEDED,CHECKOUT_SUCCEEDED" {
		t.Fatalf("events %s", names)
	}
}

// Without a delivery_location the cart comes back with the merchant
// account's saved address.
func TestShoppingSavedAddress(t *testing.T) {
	srv, rec := csServer(t)
	shopLink(t, srv, rec, "ada")
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 202, csSuccess)
	ev := shopEvent(t, rec, "SYNC_CART_SUCCEEDED", "ada", 1)
	if dl := ev.Data.Cart.DeliveryLocation; dl == nil || dl.Address.City == "" || dl.FirstName == "" {
		t.Fatalf("delivery_location %+v", dl)
	}
}

func TestShoppingSimulateFailed(t *testing.T) {
	srv, rec := csServer(t)
	shopLink(t, srv, rec, "ada")
	csPost(t, srv, "/cart", shopCart("ada", "", `,"simulate":"failed"`), 202, csSuccess)
	if ev := shopEvent(t, rec, "SYNC_CART_FAILED", "ada", 1); ev.Data.Reason != "product out of stock" {
		t.Fatalf("SYNC_CART_FAILED %+v", ev)
	}
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 400, shopCartNotFound)
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 202, csSuccess)
	shopEvent(t, rec, "SYNC_CART_SUCCEEDED", "ada", 1)
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", `,"simulate":"failed"`), 202, csSuccess)
	if ev := shopEvent(t, rec, "CHECKOUT_FAILED", "ada", 1); ev.Data.Reason != "card declined" {
		t.Fatalf("CHECKOUT_FAILED %+v", ev)
	}
	// A failed checkout keeps the cart.
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 202, csSuccess)
	shopEvent(t, rec, "CHECKOUT_SUCCEEDED", "ada", 1)
}

func TestShoppingOngoingOperation(t *testing.T) {
	srv, rec := csServer(t, server.Config{AsyncDelay: time.Hour})
	shopLink(t, srv, rec, "ada")
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 202, csSuccess)
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 400, shopOngoing)
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 400, shopOngoing)
	if n := csCountEvents(rec, "SYNC_CART_SUCCEEDED", "ada"); n != 0 {
		t.Fatalf("%d SYNC_CART_SUCCEEDED before the delay", n)
	}
	csAdvanceUntil(t, srv, rec, time.Hour, "SYNC_CART_SUCCEEDED", "ada")
	shopEvent(t, rec, "SYNC_CART_SUCCEEDED", "ada", 1)
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 202, csSuccess)
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 400, shopOngoing)
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 400, shopOngoing)
	csAdvanceUntil(t, srv, rec, time.Hour, "CHECKOUT_SUCCEEDED", "ada")
	shopEvent(t, rec, "CHECKOUT_SUCCEEDED", "ada", 1)
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 202, csSuccess)
}

func TestShoppingErrors(t *testing.T) {
	srv, rec := csServer(t)
	shopLink(t, srv, rec, "ada")
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 400, shopCartNotFound)
	csPost(t, srv, "/cart", shopCart("ada", "01fdc244-306c-570b-9274-b04910f1f3da", ""), 400, shopFulfillmentNotFound)
	// A refused sync leaves the account idle.
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 202, csSuccess)
	shopEvent(t, rec, "SYNC_CART_SUCCEEDED", "ada", 1)

	for _, path := range []string{"/cart", "/cart/checkout"} {
		body := func(user string, merchant int) string {
			b := shopCart(user, "", "")
			if path == "/cart/checkout" {
				b = shopCheckout(user, "")
			}
			return strings.Replace(b, `"merchant_id":45`, `"merchant_id":`+strconv.Itoa(merchant), 1)
		}
		csPost(t, srv, path, body("ada", 999999), 400, invalidField("The selected merchant id is invalid."))
		csPost(t, srv, path, body("nobody", 45), 400, errBody("USER_ERROR", "USER_NOT_FOUND", "The selected external user id is invalid."))
		csPost(t, srv, path, body("ada", 12), 400, errBody("MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_NOT_FOUND", "No merchant account was found for this user and merchant."))
		csPost(t, srv, path, `{"merchant_id":45,"products":[{"external_id":"1"}]}`, 400, invalidField("The external user id field is required."))
	}
	csPost(t, srv, "/development/accounts/disconnect", `{"external_user_id":"ada","merchant_id":45}`, 200, csSuccess)
	disconnected := errBody("MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_DISCONNECTED", "The merchant account is disconnected. The user must log in again.")
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 400, disconnected)
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", ""), 400, disconnected)
}

// payment_method.jwe is decrypted and validated like Switch Card's.
func TestCheckoutPaymentMethodJWE(t *testing.T) {
	srv, rec := csServer(t)
	shopLink(t, srv, rec, "ada")
	csPost(t, srv, "/cart", shopCart("ada", "", ""), 202, csSuccess)
	shopEvent(t, rec, "SYNC_CART_SUCCEEDED", "ada", 1)
	pm := func(jwe string) string {
		return `,"payment_method":{"id":"81n9al10a0ayn13","jwe":"` + jwe + `","is_single_use":false}`
	}
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", pm("eyJhbGciOiJSU0EtT0FFUC0yNTYiLC...")), 400, csJWEInvalid)
	expired := strings.Replace(csPayload, "08/2030", "01/2020", 1)
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", pm(csEncrypt(t, srv, expired))), 400,
		errBody("INVALID_REQUEST", "INVALID_JWE", "The card is expired."))
	csPost(t, srv, "/cart/checkout", shopCheckout("ada", pm(csEncrypt(t, srv, csPayload))), 202, csSuccess)
	shopEvent(t, rec, "CHECKOUT_SUCCEEDED", "ada", 1)
}
