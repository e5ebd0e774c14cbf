/** The referral program: campaigns, referral links, rewards and fraud rules, every event a ledger transaction. */
package io.pel.referral;
